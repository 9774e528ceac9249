package dev.mkplat.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mkplat.service.http.Json;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /}: the service name, version and status. The benchmark compares this route with
 * nginx serving a static file, so its body is serialized once and each request only writes bytes.
 */
final class InfoService implements HttpService {
    static final String PATH = "/";

    private final byte[] body;

    InfoService(ServiceInfo info) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("service", info.name());
        fields.put("version", info.version());
        fields.put("status", "ok");
        try {
            this.body = Json.MAPPER.writeValueAsBytes(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + fields, e);
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::getInfoHandler);
    }

    private void getInfoHandler(ServerRequest req, ServerResponse res) {
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(body);
    }
}
