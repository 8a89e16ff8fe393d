package brocard.webhooks.chart;

import brocard.webhooks.chart.Chart.Manifests;
import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The helm chart as Kubernetes would get it: rendered by the real helm engine with the default values and with each
 * CI values file, linted strictly, and checked for what an operator relies on: restricted Pod Security, the probes,
 * secrets only from Secrets, an Ingress that routes nothing but Brocard's webhook URLs, a NetworkPolicy by default,
 * and a values schema that covers every value.
 */
class HelmChartTest {

    /** The default values (plus the required ones) and every ci/*-values.yaml. */
    static Stream<String> variants() {
        return Stream.concat(Stream.of("defaults"), Chart.ciValues().stream().map(p -> p.getFileName()
                .toString()));
    }

    private static Manifests render(String variant) {
        return variant.equals("defaults")
                ? Chart.renderDefaults(Map.of())
                : Chart.render(List.of(Chart.DIR.resolve("ci").resolve(variant)), Map.of());
    }

    /** {@code helm lint --strict helm/brocard-webhooks}, and the same with each CI values file ({@code -f}). */
    @ParameterizedTest
    @MethodSource("variants")
    void lintsCleanWithStrictChecks(String variant) {
        LintResult lint = variant.equals("defaults")
                ? new Helm(Chart.DIR).lint().strict().call()
                : Chart.lintWith(Chart.DIR.resolve("ci").resolve(variant));
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
        assertTrue(
                lint.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
                String.join("\n", lint.getMessages()));
    }

    @Test
    void withoutTheRequiredValuesItRefusesToRenderAndSaysWhatIsMissing() {
        Exception refused = assertThrows(Exception.class, () -> Chart.render(List.of(), Map.of()));
        assertTrue(refused.getMessage().contains("database.jdbcUrl is required"), refused.getMessage());
    }

    @ParameterizedTest
    @MethodSource("variants")
    void podsMeetTheRestrictedPodSecurityStandard(String variant) {
        List<JsonNode> deployments = render(variant).ofKind("Deployment");
        assertFalse(deployments.isEmpty());
        for (JsonNode deployment : deployments) {
            String name = deployment.at("/metadata/name").asText();
            JsonNode pod = deployment.at("/spec/template/spec");
            assertFalse(
                    pod.path("hostNetwork").asBoolean()
                            || pod.path("hostPID").asBoolean()
                            || pod.path("hostIPC").asBoolean(),
                    name + " shares a host namespace");
            pod.path("volumes").forEach(v -> assertFalse(v.has("hostPath"), name + " mounts a host path"));
            assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean(), name + " pod runAsNonRoot");
            assertEquals(
                    "RuntimeDefault",
                    pod.at("/securityContext/seccompProfile/type").asText(),
                    name);
            assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), name + " mounts an API token");
            for (JsonNode container : pod.path("containers")) {
                JsonNode security = container.path("securityContext");
                String where = name + "/" + container.path("name").asText();
                assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), where);
                assertFalse(security.path("privileged").asBoolean(false), where);
                assertTrue(security.path("runAsNonRoot").asBoolean(true), where);
                assertFalse(
                        security.has("runAsUser") && security.get("runAsUser").asInt() == 0, where);
                assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), where);
                assertTrue(texts(security.at("/capabilities/drop")).contains("ALL"), where + " drops ALL");
                assertTrue(texts(security.at("/capabilities/add")).isEmpty(), where + " adds capabilities");
                String seccomp = security.at("/seccompProfile/type").asText("RuntimeDefault");
                assertTrue(Set.of("RuntimeDefault", "Localhost").contains(seccomp), where);
                container.path("ports").forEach(p -> assertFalse(p.has("hostPort"), where + " hostPort"));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void probesAskTheApplicationsHealthEndpoints(String variant) {
        for (JsonNode deployment : render(variant).ofKind("Deployment")) {
            JsonNode container = deployment.at("/spec/template/spec/containers/0");
            assertEquals("http", container.at("/ports/0/name").asText());
            assertEquals(8080, container.at("/ports/0/containerPort").asInt());
            assertEquals(
                    "/q/health/started",
                    container.at("/startupProbe/httpGet/path").asText());
            assertEquals(
                    "/q/health/live",
                    container.at("/livenessProbe/httpGet/path").asText());
            assertEquals(
                    "/q/health/ready",
                    container.at("/readinessProbe/httpGet/path").asText());
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertEquals("http", container.at("/" + probe + "/httpGet/port").asText(), probe);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void secretsComeFromSecretsAndNeverFromTheConfigMap(String variant) {
        Manifests manifests = render(variant);
        for (JsonNode deployment : manifests.ofKind("Deployment")) {
            Map<String, JsonNode> env = env(deployment);
            assertSecretRef(env, "BROCARD_WEBHOOK_TOKENS", "brocard-webhooks", "webhook-tokens");
            assertSecretRef(env, "BROCARD_OTP_ENCRYPTION_KEY", "brocard-webhooks", "otp-encryption-key");
            assertSecretRef(env, "BROCARD_ADMIN_TOKENS", "brocard-webhooks", "admin-tokens");
            assertTrue(env.get("BROCARD_ADMIN_TOKENS")
                    .at("/valueFrom/secretKeyRef/optional")
                    .asBoolean());
            assertSecretRef(env, "QUARKUS_DATASOURCE_PASSWORD", "brocard-webhooks-db", "password");
            env.forEach((name, var) ->
                    assertFalse(looksSecret(name) && var.has("value"), name + " is given as a plain value"));
        }
        manifests
                .one("ConfigMap")
                .path("data")
                .fieldNames()
                .forEachRemaining(key -> assertFalse(looksSecret(key), key + " is in the ConfigMap"));
        assertTrue(manifests.ofKind("Secret").isEmpty(), "existing Secrets are used: the chart creates none");
    }

    @Test
    void inlineSecretsGoToAChartSecretThatThePodsReference() {
        Manifests manifests = Chart.render(
                List.of(),
                Map.of(
                        "image.repository",
                        "r/b",
                        "database.jdbcUrl",
                        "jdbc:postgresql://pg/b",
                        "database.username",
                        "b",
                        "database.password",
                        "dbpw",
                        "kafka.bootstrapServers",
                        "k:9092",
                        "secrets.webhookTokens",
                        "wt",
                        "secrets.otpEncryptionKey",
                        "ok",
                        "secrets.adminTokens",
                        "ops-alice:write:at"));
        JsonNode secret = manifests.one("Secret");
        assertEquals(
                Set.of("webhook-tokens", "otp-encryption-key", "admin-tokens", "password"),
                fieldNames(secret.path("data")));
        String name = secret.at("/metadata/name").asText();
        Map<String, JsonNode> env = env(manifests.one("Deployment"));
        assertSecretRef(env, "BROCARD_WEBHOOK_TOKENS", name, "webhook-tokens");
        assertSecretRef(env, "BROCARD_ADMIN_TOKENS", name, "admin-tokens");
        assertSecretRef(env, "QUARKUS_DATASOURCE_PASSWORD", name, "password");
        assertFalse(manifests.one("ConfigMap").toString().contains("dbpw"));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void theIngressRoutesOnlyTheWebhookUrls(String variant) {
        List<JsonNode> ingresses = render(variant).ofKind("Ingress");
        for (JsonNode ingress : ingresses) {
            List<String> paths = new ArrayList<>();
            ingress.at("/spec/rules").forEach(rule -> rule.at("/http/paths").forEach(path -> {
                paths.add(path.path("path").asText());
                assertEquals(
                        "brocard-webhooks", path.at("/backend/service/name").asText());
            }));
            assertFalse(paths.isEmpty());
            for (String path : paths) {
                assertTrue(path.equals("/webhooks/brocard") || path.startsWith("/webhooks/brocard/"), path);
            }
            assertFalse(ingress.at("/spec").has("defaultBackend"), "a default backend would route everything");
            assertFalse(ingress.at("/spec/tls").isEmpty(), "Brocard must call an https URL");
        }
        if (variant.equals("defaults")) {
            assertTrue(ingresses.isEmpty(), "no Ingress unless asked for");
        }
    }

    @Test
    void theSchemaRefusesAnIngressPathOutsideTheWebhooks() {
        for (String path : List.of("/", "/admin", "/q", "/q/metrics", "/webhooksX", "webhooks")) {
            Exception refused = assertThrows(
                    Exception.class,
                    () -> Chart.renderDefaults(Map.of(
                            "ingress.enabled",
                            true,
                            "ingress.hosts[0]",
                            "w.example.com",
                            "ingress.tls.secretName",
                            "t",
                            "ingress.path",
                            path)),
                    path);
            assertTrue(
                    refused.getMessage().contains("ingress.path")
                            || refused.getMessage().contains("pattern"),
                    refused.getMessage());
        }
        Chart.renderDefaults(Map.of(
                "ingress.enabled",
                true,
                "ingress.hosts[0]",
                "w.example.com",
                "ingress.tls.secretName",
                "t",
                "ingress.path",
                "/webhooks/brocard/3ds"));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void aNetworkPolicyAdmitsOnlyTheIngressControllerAndPrometheus(String variant) {
        Manifests manifests = render(variant);
        List<JsonNode> policies = manifests.ofKind("NetworkPolicy");
        assertEquals(manifests.ofKind("Deployment").size(), policies.size(), "one per set of pods");
        for (JsonNode deployment : manifests.ofKind("Deployment")) {
            JsonNode selector = deployment.at("/spec/selector/matchLabels");
            JsonNode policy = policies.stream()
                    .filter(p -> p.at("/spec/podSelector/matchLabels").equals(selector))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no policy selects " + selector));
            assertTrue(texts(policy.at("/spec/policyTypes")).contains("Ingress"));
            for (JsonNode rule : policy.at("/spec/ingress")) {
                assertFalse(rule.path("from").isEmpty(), "a rule without sources admits everyone");
                assertEquals("http", rule.at("/ports/0/port").asText());
            }
        }
    }

    @Test
    void theNetworkPolicyIsOnByDefaultAndCanBeTurnedOff() {
        assertEquals(1, Chart.renderDefaults(Map.of()).ofKind("NetworkPolicy").size());
        assertTrue(Chart.renderDefaults(Map.of("networkPolicy.enabled", false))
                .ofKind("NetworkPolicy")
                .isEmpty());
    }

    @Test
    void theSchemaCoversEveryValueAndRefusesUnknownOnes() {
        JsonNode schema = Chart.readYaml(Chart.DIR.resolve("values.schema.json"));
        List<String> uncovered = new ArrayList<>();
        uncovered(Chart.readYaml(Chart.VALUES), schema, "", uncovered);
        assertTrue(uncovered.isEmpty(), "values without a schema entry: " + uncovered);

        Exception typo = assertThrows(Exception.class, () -> Chart.renderDefaults(Map.of("replicaCont", 3)));
        assertTrue(typo.getMessage().contains("replicaCont"), typo.getMessage());
        Exception wrongType =
                assertThrows(Exception.class, () -> Chart.renderDefaults(Map.of("podAntiAffinity", "sometimes")));
        assertTrue(wrongType.getMessage().contains("podAntiAffinity"), wrongType.getMessage());
    }

    /** Every key of the values, at every depth, has a property in the schema with a description. */
    private static void uncovered(JsonNode values, JsonNode schema, String path, List<String> out) {
        values.fields().forEachRemaining(field -> {
            String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JsonNode property = schema.at("/properties/" + field.getKey());
            if (property.isMissingNode()) {
                out.add(key);
            } else {
                if (!property.hasNonNull("description")) {
                    out.add(key + " (no description)");
                }
                if (field.getValue().isObject() && property.has("properties")) {
                    uncovered(field.getValue(), property, key, out);
                }
            }
        });
    }

    private static Map<String, JsonNode> env(JsonNode deployment) {
        Map<String, JsonNode> env = new java.util.LinkedHashMap<>();
        deployment
                .at("/spec/template/spec/containers/0/env")
                .forEach(e -> env.put(e.path("name").asText(), e));
        return env;
    }

    private static void assertSecretRef(Map<String, JsonNode> env, String variable, String secret, String key) {
        JsonNode ref = env.getOrDefault(variable, com.fasterxml.jackson.databind.node.MissingNode.getInstance())
                .at("/valueFrom/secretKeyRef");
        assertEquals(secret, ref.path("name").asText(), variable);
        assertEquals(key, ref.path("key").asText(), variable);
    }

    private static boolean looksSecret(String name) {
        return name.matches("(?i).*(TOKEN|PASSWORD|ENCRYPTION_KEY|SECRET).*");
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new java.util.TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
