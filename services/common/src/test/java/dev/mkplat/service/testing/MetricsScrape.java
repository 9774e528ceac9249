package dev.mkplat.service.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.service.ServiceServer;
import io.helidon.webserver.WebServer;

/** Scrapes a running service's {@code /metrics} from its metrics socket, as Prometheus does. */
public final class MetricsScrape {
    private MetricsScrape() {}

    /** The Prometheus text of {@code server}, which must answer 200. */
    public static String of(WebServer server) {
        HttpTestClient.Reply reply = client(server).get(ServiceServer.METRICS_PATH);
        assertThat(reply.status()).as("GET /metrics on the metrics port").isEqualTo(200);
        return reply.body();
    }

    /** A client for {@code server}'s metrics socket. */
    public static HttpTestClient client(WebServer server) {
        return new HttpTestClient("http://127.0.0.1:" + server.port(ServiceServer.METRICS_SOCKET));
    }
}
