package dev.mkplat.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors the server answers before any route runs (a malformed request line, headers that are too
 * large, a body over the server's limit) get the same JSON shape as every other error.
 */
public final class JsonDirectHandler implements DirectHandler {
    private static final Logger LOG = LoggerFactory.getLogger(JsonDirectHandler.class);

    @Override
    public TransportResponse handle(
            TransportRequest request,
            EventType eventType,
            Status status,
            ServerResponseHeaders headers,
            String message) {
        if (eventType == EventType.INTERNAL_ERROR && request.method().isEmpty()) {
            // Helidon 4.5 reports some unparseable request lines (a method with characters that
            // are not a token, such as "GET\0" or "r\H6<") as an internal error raised before the
            // request line was even read. The request is malformed, not the server broken.
            LOG.info("rejected a request whose request line could not be parsed ({})", message);
            status = Status.BAD_REQUEST_400;
            message = "malformed request line";
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message == null || message.isBlank() ? status.reasonPhrase() : message);
        body.put("requestId", null);
        byte[] entity;
        try {
            entity = Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            entity = "{\"error\":\"bad request\"}".getBytes(StandardCharsets.UTF_8);
        }
        headers.set(HeaderValues.CONTENT_TYPE_JSON);
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(entity)
                .build();
    }
}
