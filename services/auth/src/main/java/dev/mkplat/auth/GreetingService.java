package dev.mkplat.auth;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/** {@code GET /}: the greeting the original auth service answered, kept for its users. */
final class GreetingService implements HttpService {
    static final String PATH = "/";

    private static final byte[] GREETING = "Hello World".getBytes(StandardCharsets.UTF_8);

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::getGreetingHandler);
    }

    private void getGreetingHandler(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
        res.send(GREETING);
    }
}
