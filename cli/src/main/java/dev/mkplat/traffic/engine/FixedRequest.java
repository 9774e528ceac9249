package dev.mkplat.traffic.engine;

import dev.mkplat.traffic.report.EndpointStats;
import java.net.URI;
import java.util.Map;

/**
 * A request that is the same every time, with its weight among the run's requests and the stats it
 * is recorded under.
 *
 * @param body the body, or null for none
 * @param contentType the body's type, or null
 */
public record FixedRequest(
        String method,
        URI uri,
        Map<String, String> headers,
        byte[] body,
        String contentType,
        int weight,
        EndpointStats stats) {}
