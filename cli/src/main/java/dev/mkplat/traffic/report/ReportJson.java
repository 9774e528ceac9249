package dev.mkplat.traffic.report;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The report as JSON ({@code --out}): the same records the table shows, field for field. */
public final class ReportJson {
    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ReportJson() {}

    public static String render(Report report) {
        return JSON.writeValueAsString(report) + "\n";
    }
}
