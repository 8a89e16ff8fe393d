package brocard.webhooks.http;

import brocard.webhooks.support.Samples;
import brocard.webhooks.support.Webhooks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document at /q/openapi: every endpoint is in it, with its answers and their error format, and the
 * documented webhook examples are bodies the service really accepts. The checks run over whatever paths the document
 * has, so a new endpoint is held to the same bar.
 */
@QuarkusTest
class OpenApiDocumentTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
    /** What every webhook URL may answer, and which of those answers carry the Error body. */
    private static final Set<String> WEBHOOK_ANSWERS = Set.of("200", "400", "401", "413", "415", "422", "500", "503");

    private static final Set<String> WEBHOOK_ERRORS_WITH_BODY = Set.of("400", "415", "422", "500", "503");

    private JsonNode document;

    @BeforeEach
    void fetch() throws Exception {
        String json = given().queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        document = new ObjectMapper().readTree(json);
    }

    @Test
    void describesTheWebhookUrlsAndTheOperatorApi() {
        Set<String> paths = new TreeSet<>();
        document.get("paths").fieldNames().forEachRemaining(paths::add);
        assertTrue(
                paths.containsAll(List.of(
                        "/webhooks/brocard",
                        "/webhooks/brocard/payments",
                        "/webhooks/brocard/refunds",
                        "/webhooks/brocard/3ds",
                        "/admin/quarantine",
                        "/admin/quarantine/{id}",
                        "/admin/quarantine/{id}/replay",
                        "/admin/recipients",
                        "/admin/recipients/{id}",
                        "/admin/recipients/import",
                        "/admin/audit")),
                paths.toString());
        assertTrue(document.get("openapi").asText().startsWith("3."));
        assertEquals("brocard-webhooks", document.at("/info/title").asText());
    }

    @Test
    void everyWebhookAnswerIsDocumentedWithItsErrorFormat() {
        for (Map.Entry<String, JsonNode> operation : operations("/webhooks/")) {
            JsonNode responses = operation.getValue().get("responses");
            Set<String> codes = new TreeSet<>();
            responses.fieldNames().forEachRemaining(codes::add);
            assertEquals(WEBHOOK_ANSWERS, codes, operation.getKey());
            for (String code : WEBHOOK_ERRORS_WITH_BODY) {
                assertEquals(
                        "#/components/schemas/Error",
                        responses
                                .at("/" + code + "/content/application~1json/schema/$ref")
                                .asText(),
                        operation.getKey() + " " + code);
            }
            assertEquals(
                    "#/components/schemas/IngestResult",
                    responses.at("/200/content/application~1json/schema/$ref").asText(),
                    operation.getKey());
            assertFalse(operation.getValue().at("/security").isEmpty(), operation.getKey() + " has no security");
        }
        JsonNode error = document.at("/components/schemas/Error/properties");
        assertTrue(error.has("message") && error.has("errors") && error.has("request_id"), error.toString());
    }

    @Test
    void everyOperatorOperationNeedsABearerTokenAndSaysWhatAReadTokenGets() {
        List<Map.Entry<String, JsonNode>> admin = operations("/admin/");
        assertFalse(admin.isEmpty());
        for (Map.Entry<String, JsonNode> operation : admin) {
            assertEquals(
                    "adminBearer",
                    operation.getValue().at("/security/0").fieldNames().next(),
                    operation.getKey());
            assertTrue(operation.getValue().at("/responses").has("401"), operation.getKey());
            boolean change = !operation.getKey().startsWith("get ");
            assertEquals(change, operation.getValue().at("/responses").has("403"), operation.getKey());
            assertFalse(operation.getValue().path("summary").asText().isBlank(), operation.getKey() + " summary");
        }
        assertEquals(
                "bearer",
                document.at("/components/securitySchemes/adminBearer/scheme").asText());
    }

    /** Each documented example, posted (with a fresh id) to the URL that documents it, is stored. */
    @Test
    void theDocumentedExamplesAreAccepted() {
        int posted = 0;
        for (Map.Entry<String, JsonNode> operation : operations("/webhooks/")) {
            JsonNode examples = operation.getValue().at("/requestBody/content/application~1json/examples");
            assertTrue(examples.size() >= 2, operation.getKey() + " has too few examples");
            String suffix = operation.getKey().substring("post /webhooks/brocard".length());
            for (JsonNode example : examples) {
                String ref = example.get("$ref").asText();
                ObjectNode body = document.at(
                                "/components/examples/" + ref.substring(ref.lastIndexOf('/') + 1) + "/value")
                        .deepCopy();
                assertFalse(body.isEmpty(), ref);
                body.put("id", Samples.nextId());
                Webhooks.post(suffix, body).statusCode(200);
                posted++;
            }
        }
        assertTrue(posted >= 10, "posted " + posted);
    }

    /** "method path" and the operation, for every operation under this path prefix. */
    private List<Map.Entry<String, JsonNode>> operations(String prefix) {
        List<Map.Entry<String, JsonNode>> found = new ArrayList<>();
        document.get("paths").fields().forEachRemaining(path -> {
            if (path.getKey().startsWith(prefix) || path.getKey().equals(prefix.substring(0, prefix.length() - 1))) {
                path.getValue().fields().forEachRemaining(method -> {
                    if (METHODS.contains(method.getKey())) {
                        found.add(Map.entry(method.getKey() + " " + path.getKey(), method.getValue()));
                    }
                });
            }
        });
        return found;
    }
}
