package brocard.webhooks.chart;

import brocard.webhooks.support.Relay;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.Webhooks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every metric an alert or a dashboard panel queries is one this service exports: a renamed meter or a typo in a
 * query would otherwise leave an alert that can never fire. The queries are read from the PrometheusRule the chart
 * renders, from deploy/prometheus and from every Grafana dashboard (deploy/grafana, and the chart's files/), so new
 * alerts and panels are checked without touching this test.
 *
 * <p>Counters that never counted are not exported, so the service is first put through the events the alerts watch
 * (stored, refused, unauthorized, unrecognized, conflicting, relayed, an operator refused). An alert on a new kind of
 * event needs that event added to {@link #exerciseTheService()}.
 */
@QuarkusTest
class MonitoringQueriesTest {

    /** Series Prometheus makes itself, not the service. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up", "ALERTS", "ALERTS_FOR_STATE");

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");

    @Test
    void everyQueriedMetricIsExported() throws IOException {
        exerciseTheService();
        Set<String> exported = exported();

        Map<String, List<String>> queries = new TreeMap<>();
        queries.put("chart PrometheusRule", prometheusRuleQueries());
        queries.put(
                "deploy/prometheus/alerts.yaml",
                alertQueries(Chart.readYaml(Path.of("deploy/prometheus/alerts.yaml"))));
        for (Path dashboard : dashboards()) {
            List<String> exprs = new ArrayList<>();
            Chart.readYaml(dashboard).findValues("expr").forEach(e -> exprs.add(e.asText()));
            queries.put(dashboard.toString(), exprs);
        }

        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, List<String>> source : queries.entrySet()) {
            assertFalse(source.getValue().isEmpty(), source.getKey() + " has no queries");
            for (String expr : source.getValue()) {
                Set<String> names = metricNames(expr);
                assertFalse(names.isEmpty(), "no metric found in " + expr);
                for (String name : names) {
                    checked++;
                    if (!exported.contains(name) && !PROMETHEUS_OWN.contains(name)) {
                        unknown.add(source.getKey() + ": " + name + " in " + expr);
                    }
                }
            }
        }
        assertTrue(unknown.isEmpty(), "queried but not exported by /q/metrics:\n" + String.join("\n", unknown));
        assertTrue(checked > 30, "only " + checked + " metric references found");
    }

    @Test
    void theChartsAlertsAreTheSameFileAsDeploysAndAllRendered() throws IOException {
        assertEquals(
                Files.readString(Path.of("deploy/prometheus/alerts.yaml")),
                Files.readString(Chart.DIR.resolve("files/alerts.yaml")),
                "KEEP IN SYNC (see the file's header)");
        assertEquals(alertQueries(Chart.readYaml(Path.of("deploy/prometheus/alerts.yaml"))), prometheusRuleQueries());
    }

    @Test
    void theNameParserFindsMetricsNotFunctionsOrLabels() {
        assertEquals(
                Set.of("a_bucket"),
                metricNames(
                        "histogram_quantile(0.99, sum by (le, type) (rate(a_bucket{x=~\"y|z\", ns=~\"$namespace\"}[5m]))) > 0.5"));
        assertEquals(
                Set.of("a_total", "b_seconds_max"),
                metricNames("sum without (pod) (increase(a_total[1h])) / on(job) max(b_seconds_max) > 1"));
    }

    /** The events the alerts and panels watch, so that their counters exist. */
    private static void exerciseTheService() {
        long recipient = Samples.nextId();
        Relay.putRecipient(recipient, List.of(Relay.webhookRoute("/monitoring")));
        String code = Relay.code();
        Relay.sendCode(recipient, code); // relayed
        Relay.sendCode(Samples.nextId(), Relay.code()); // fallback or unroutable
        ObjectNode payment = Samples.payment(Samples.nextId(), 1, "SETTLED");
        Webhooks.post("", payment).statusCode(200); // stored, published
        Webhooks.post("", payment.deepCopy().put("amount", "999.99")).statusCode(200); // dedup conflict
        Webhooks.post("", Samples.payment(Samples.nextId(), 9, "CHARGEBACK")).statusCode(200); // unrecognized
        ObjectNode invalid = Samples.fresh("refund-current");
        invalid.remove("amount");
        Webhooks.post("/refunds", invalid).statusCode(422); // quarantined
        given().post("/webhooks/brocard").then().statusCode(401); // unauthorized
        given().get("/admin/audit").then().statusCode(401); // operator refused
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !Relay.requestsWith(code).isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> exported().contains("brocard_outbox_published_total"));
    }

    private static Set<String> exported() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> names = new TreeSet<>();
        text.lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }

    private static List<String> prometheusRuleQueries() {
        JsonNode rule = Chart.renderDefaults(Map.of("monitoring.prometheusRule.enabled", true))
                .one("PrometheusRule");
        return alertQueries(rule.path("spec"));
    }

    private static List<String> alertQueries(JsonNode rules) {
        List<String> exprs = new ArrayList<>();
        rules.path("groups").forEach(group -> group.path("rules")
                .forEach(rule -> exprs.add(rule.path("expr").asText())));
        return exprs;
    }

    private static List<Path> dashboards() throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path dir : List.of(Path.of("deploy/grafana"), Chart.DIR.resolve("files"))) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    files.filter(f -> f.toString().endsWith(".json")).sorted().forEach(found::add);
                }
            }
        }
        assertFalse(found.isEmpty(), "no Grafana dashboard found");
        return found;
    }

    /** The metric names a PromQL expression selects: what is left once strings, labels, ranges and groupings go. */
    static Set<String> metricNames(String expr) {
        String bare = STRINGS.matcher(expr).replaceAll(" ");
        bare = LABEL_MATCHERS.matcher(bare).replaceAll(" ");
        bare = RANGES.matcher(bare).replaceAll(" ");
        bare = GROUPING.matcher(bare).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher identifiers = IDENTIFIER.matcher(bare);
        while (identifiers.find()) {
            String token = identifiers.group();
            boolean partOfNumber = identifiers.start() > 0 && Character.isDigit(bare.charAt(identifiers.start() - 1));
            if (!KEYWORDS.contains(token.toLowerCase()) && !partOfNumber) {
                names.add(token);
            }
        }
        return names;
    }
}
