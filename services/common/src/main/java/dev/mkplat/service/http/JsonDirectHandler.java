package dev.mkplat.service.http;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * Errors the server answers before any route runs (a malformed request line, headers that are too
 * large, a body over the server's limit) get the same JSON shape as every other error.
 */
public final class JsonDirectHandler implements DirectHandler {
    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message == null || message.isBlank() ? status.reasonPhrase() : message);
        body.put("requestId", null);
        byte[] entity;
        try {
            entity = Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            entity = "{\"error\":\"bad request\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        headers.set(HeaderValues.CONTENT_TYPE_JSON);
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(entity)
                .build();
    }
}
