package dev.mkplat.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Logs next to metrics: every panel of the three dashboards links to the logs of the service it
 * shows, as a Loki query in Grafana's Explore, through a data source variable of type loki, so that
 * a Grafana without Loki loads the dashboards unchanged (the variable is empty and only the links
 * lead nowhere). The queries use the label scheme docs/observability.md documents: the pods'
 * {@code namespace} and {@code container} (and {@code pod}), as Kubernetes log collectors set them.
 */
class DashboardLogLinksTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A Grafana variable in a link: interpolated by Grafana before the browser reads the URL. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*}");
    /** A field label of the series clicked, as a data link names it. */
    private static final Pattern FIELD_LABEL = Pattern.compile("\\$\\{__field\\.labels\\.([a-z_]+)}");
    /** {namespace="S", container="S"[, pod="P"]} | json, then label filters on the access log's fields. */
    private static final Pattern LOGS_QUERY = Pattern.compile(
            "\\{namespace=\"(?<service>[^\"]+)\", container=\"\\k<service>\"(?:, pod=\"(?<pod>[^\"]+)\")?} \\| json(?<filters>.*)");
    /** Fields of every access log line the services write (README, Observability), that a link may filter on. */
    private static final Set<String> LOGGED_FIELDS = Set.of("method", "route", "status");
    /** The Domain dashboard's panels show one service each: its own counters. */
    private static final Map<String, String> DOMAIN_PANELS = Map.of(
            "Items created per second", "api",
            "Logins per second by result (success, failure, locked)", "auth",
            "Lockouts per second by scope", "auth",
            "Refused login ratio (failure or locked)", "auth",
            "Images uploaded per second", "images",
            "Upload throughput", "images",
            "Average upload size", "images");

    @Test
    void everyDashboardHasALokiVariableAndNoPanelQueriesLoki() {
        for (JsonNode dashboard : dashboards().values()) {
            List<JsonNode> logs = new ArrayList<>();
            dashboard.path("templating").path("list").values().forEach(v -> {
                if (v.path("name").asString().equals("logs")) {
                    logs.add(v);
                }
            });
            assertThat(logs).singleElement().satisfies(variable -> {
                assertThat(variable.path("type").asString()).isEqualTo("datasource");
                assertThat(variable.path("query").asString()).isEqualTo("loki");
            });
            for (JsonNode panel : dashboard.path("panels")) {
                // Without Loki the panels must still draw: none of them reads the logs variable.
                assertThat(panel.path("datasource").path("type").asString())
                        .as(panel.path("title").asString())
                        .isEqualTo("prometheus");
                panel.path("targets")
                        .values()
                        .forEach(target -> assertThat(target.toString()).doesNotContain("${logs}"));
            }
        }
    }

    @Test
    void everyPanelLinksToTheLogsOfTheServiceItShows() {
        Map<String, JsonNode> dashboards = dashboards();
        assertThat(dashboards).containsOnlyKeys("mkplat-services", "mkplat-domain", "mkplat-jvm");
        dashboards.forEach((uid, dashboard) -> {
            for (JsonNode panel : dashboard.path("panels")) {
                String title = uid + " / " + panel.path("title").asString();
                JsonNode links = panel.path("fieldConfig").path("defaults").path("links");
                assertThat(links.size()).as(title).isEqualTo(1);
                Matcher query = LOGS_QUERY.matcher(lokiQuery(title, links.get(0)));
                assertThat(query.matches()).as(title + ": " + query).isTrue();

                String service = query.group("service");
                Matcher label = FIELD_LABEL.matcher(service);
                if (label.matches()) {
                    // The clicked series' service: a label every query of the panel keeps.
                    assertThat(label.group(1)).isIn("job", "service");
                    assertEveryQueryKeeps(title, panel, label.group(1));
                } else {
                    assertThat(uid).isEqualTo("mkplat-domain");
                    assertThat(service)
                            .as(title)
                            .isEqualTo(DOMAIN_PANELS.get(panel.path("title").asString()));
                }
                if (query.group("pod") != null) {
                    Matcher pod = FIELD_LABEL.matcher(query.group("pod"));
                    assertThat(pod.matches() && pod.group(1).equals("pod"))
                            .as(title)
                            .isTrue();
                    assertEveryQueryKeeps(title, panel, "pod");
                }
                assertFiltersOnLoggedFields(title, panel, query.group("filters"));
            }
        });
    }

    @Test
    void theLabelsOfTheQueriesAreThoseOfTheServicesPods() {
        // A link fills namespace and container with the service's name (the job label): that holds
        // only while each service runs in its own namespace, in a container named after it.
        for (ServiceContract.Service service : ServiceContract.SERVICES) {
            Deployment deployment = Bundle.get()
                    .find("Deployment", service.namespace(), service.name())
                    .orElseThrow()
                    .as(Deployment.class);
            assertThat(service.namespace()).isEqualTo(service.name());
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers())
                    .extracting(c -> c.getName())
                    .containsExactly(service.name());
        }
        assertThat(DOMAIN_PANELS.values())
                .allMatch(name ->
                        ServiceContract.SERVICES.stream().anyMatch(s -> s.name().equals(name)));
    }

    @Test
    void theServicesDashboardNarrowsTheLogsToWhatThePanelShows() {
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboards().get("mkplat-services").path("panels")) {
            String title = panel.path("title").asString();
            queries.put(
                    title,
                    lokiQuery(
                            title,
                            panel.path("fieldConfig")
                                    .path("defaults")
                                    .path("links")
                                    .get(0)));
        }
        String job = "{namespace=\"${__field.labels.job}\", container=\"${__field.labels.job}\"} | json";
        assertThat(queries)
                .containsEntry("Requests per second by service", job)
                .containsEntry("Server errors (5xx) ratio", job + " | status >= 500")
                .containsEntry("Responses by status", job + " | status = ${__field.labels.status}")
                .containsEntry(
                        "Requests per second by route",
                        job + " | method = \"${__field.labels.method}\" | route = \"${__field.labels.route}\"")
                .containsEntry(
                        "SLO: error budget remaining",
                        "{namespace=\"${__field.labels.service}\", container=\"${__field.labels.service}\"} | json");
    }

    /**
     * The Loki query of a link: the URL is Grafana's Explore with one pane, the query on the data
     * source the variable {@code logs} picks, over the dashboard's time range.
     */
    static String lokiQuery(String where, JsonNode link) {
        String url = link.path("url").asString();
        assertThat(url).as(where).startsWith("/explore?");
        // Everything but Grafana's variables is percent-encoded, so that the JSON survives the query string.
        assertThat(VARIABLE.matcher(url).replaceAll("")).as(where).matches("/explore\\?[A-Za-z0-9%=&_.~-]*");
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String parameter : url.substring("/explore?".length()).split("&")) {
            String[] pair = parameter.split("=", 2);
            parameters.put(pair[0], URLDecoder.decode(pair[1], StandardCharsets.UTF_8));
        }
        assertThat(parameters).containsEntry("schemaVersion", "1").containsKey("panes");
        JsonNode panes = JSON.readTree(parameters.get("panes"));
        assertThat(panes.size()).as(where).isEqualTo(1);
        JsonNode pane = panes.values().iterator().next();
        assertThat(pane.path("datasource").asString()).isEqualTo("${logs}");
        assertThat(pane.path("range").path("from").asString()).isEqualTo("${__from}");
        assertThat(pane.path("range").path("to").asString()).isEqualTo("${__to}");
        assertThat(pane.path("queries").size()).isEqualTo(1);
        JsonNode query = pane.path("queries").get(0);
        assertThat(query.path("datasource").path("type").asString()).isEqualTo("loki");
        assertThat(query.path("datasource").path("uid").asString()).isEqualTo("${logs}");
        assertThat(link.path("title").asString()).as(where).matches("(Server error )?[Ll]ogs of .+");
        return query.path("expr").asString();
    }

    private static void assertEveryQueryKeeps(String where, JsonNode panel, String label) {
        assertThat(panel.path("targets").values())
                .as(where + ": every query keeps the label " + label)
                .isNotEmpty()
                .allSatisfy(target ->
                        assertThat(keptLabels(target.path("expr").asString())).contains(label));
    }

    /**
     * The labels a query's result keeps: those of every outermost {@code by (...)}, or a recorded
     * series' own (the SLO recordings carry service and slo).
     */
    private static Set<String> keptLabels(String expr) {
        Matcher by = Pattern.compile("by \\(([^)]*)\\)").matcher(expr);
        Set<String> kept = null;
        while (by.find()) {
            Set<String> these = Set.of(by.group(1).split(",\\s*"));
            if (kept == null) {
                kept = new HashSet<>(these);
            } else {
                kept.retainAll(these);
            }
        }
        if (kept != null) {
            return kept;
        }
        assertThat(expr).startsWith("slo:");
        return Set.of("service", "slo");
    }

    /** Each filter after {@code | json} is on a field of the access log, with a value the series carries. */
    private static void assertFiltersOnLoggedFields(String where, JsonNode panel, String filters) {
        Matcher filter = Pattern.compile(" \\| ([a-z]+) (?:=|>=) (\"?)(\\S+?)\\2(?= \\||$)")
                .matcher(filters);
        int end = 0;
        while (filter.find()) {
            assertThat(filter.start()).as(where + ": " + filters).isEqualTo(end);
            end = filter.end();
            assertThat(filter.group(1)).as(where).isIn(LOGGED_FIELDS);
            Matcher label = FIELD_LABEL.matcher(filter.group(3));
            if (label.matches()) {
                assertThat(label.group(1)).as(where).isEqualTo(filter.group(1));
                assertEveryQueryKeeps(where, panel, label.group(1));
            }
        }
        assertThat(end).as(where + ": " + filters).isEqualTo(filters.length());
    }

    private static Map<String, JsonNode> dashboards() {
        Map<String, JsonNode> dashboards = new LinkedHashMap<>();
        for (Bundle.Document document : MonitoringTest.dashboards()) {
            document.tree().path("data").forEachEntry((file, json) -> {
                JsonNode dashboard = JSON.readTree(json.asString());
                dashboards.put(dashboard.path("uid").asString(), dashboard);
            });
        }
        return dashboards;
    }
}
