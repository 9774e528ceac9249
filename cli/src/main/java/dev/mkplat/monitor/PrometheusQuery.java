package dev.mkplat.monitor;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The queries {@code monitor status} asks Prometheus, per service (job), and how their answers read. */
public final class PrometheusQuery {
    /** Requests per second over the last minute. */
    public static final String RATE =
            "sum by (job) (rate(http_server_request_duration_seconds_count{job=~\"api|auth|images\"}[1m]))";
    /** The share of 5xx answers over the last minute (0 when there were requests and no errors). */
    public static final String ERROR_RATIO =
            "(sum by (job) (rate(http_server_request_duration_seconds_count{job=~\"api|auth|images\",status=~\"5..\"}[1m]))"
                    + " or sum by (job) (rate(http_server_request_duration_seconds_count{job=~\"api|auth|images\"}[1m])) * 0)"
                    + " / sum by (job) (rate(http_server_request_duration_seconds_count{job=~\"api|auth|images\"}[1m]))";
    /** The 95th percentile of the request duration over the last minute, in seconds. */
    public static final String P95 =
            "histogram_quantile(0.95, sum by (job, le) (rate(http_server_request_duration_seconds_bucket{job=~\"api|auth|images\"}[1m])))";

    private PrometheusQuery() {}

    /** The path and query of an instant query. */
    public static String path(String promql) {
        return "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
    }

    /**
     * An instant vector answer as job → value (NaN when Prometheus says so, as for a quantile of no requests).
     *
     * @throws MkplatException exit 1 when the answer is not a successful vector
     */
    public static Map<String, Double> byJob(String answer) {
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(answer);
        } catch (JacksonException e) {
            throw new MkplatException(
                    ExitCode.FAILED, "Prometheus' query answer is not JSON: " + e.getOriginalMessage(), null);
        }
        if (!"success".equals(root.path("status").asString(""))
                || !"vector".equals(root.path("data").path("resultType").asString(""))) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    "Prometheus answered a query with status '"
                            + root.path("status").asString("") + "': "
                            + root.path("error").asString("not a vector"),
                    null);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (JsonNode series : root.path("data").path("result")) {
            String value = series.path("value").path(1).asString("NaN");
            values.put(series.path("metric").path("job").asString(""), parse(value));
        }
        return values;
    }

    private static double parse(String value) {
        return switch (value) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(value);
        };
    }
}
