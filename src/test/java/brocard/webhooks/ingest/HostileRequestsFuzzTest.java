package brocard.webhooks.ingest;

import brocard.webhooks.support.HostileRequests;
import brocard.webhooks.support.Rows;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random hostile requests ({@link HostileRequests}) against the running application's webhook URLs. Whatever is sent:
 * never a 5xx; every 4xx is in Brocard's format with a {@code request_id} that is a quarantine row; every webhook
 * stored is stored once (sent again, it is a {@code duplicate} and no row is added).
 * <p>
 * 150 requests by default (a few seconds). {@code -Dfuzz.tries=5000} runs longer; {@code -Dfuzz.seed=<n>} replays a
 * run (the seed is printed first).
 */
@QuarkusTest
class HostileRequestsFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TABLES = Map.of(
            "payment",
            "payment_event where payment_id = ?",
            "refund",
            "refund_event where refund_id = ?",
            "otp_code",
            "otp_code_event where otp_id = ?");

    @Inject
    Rows rows;

    @Test
    void noInputEndsInA5xxAndEveryRefusalIsQuarantinedAndNothingIsStoredTwice() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int tries = Integer.getInteger("fuzz.tries", 150);
        System.out.println("HostileRequestsFuzzTest seed " + seed + " (-Dfuzz.seed=" + seed + "), " + tries + " tries");
        HostileRequests requests = new HostileRequests(new Random(seed));
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<Long> storedCodes = new ArrayList<>();

        for (int i = 0; i < tries; i++) {
            HostileRequests.Request request = requests.next();
            String context = "seed " + seed + ", request " + i + ": " + request.description();
            Response answer = post(request);
            statuses.merge(answer.statusCode(), 1, Integer::sum);
            if (answer.statusCode() >= 500) {
                fail(context + " → " + answer.statusCode() + " " + answer.asString());
            }
            JsonNode body = JSON.readTree(answer.asString());
            if (answer.statusCode() >= 400) {
                assertRefusalIsQuarantined(answer.statusCode(), body, context);
            } else {
                assertEquals(200, answer.statusCode(), context);
                Long stored = assertStoredOnce(request, body, context);
                if (stored != null && "otp_code".equals(body.path("type").asText())) {
                    storedCodes.add(stored);
                }
            }
        }
        System.out.println("HostileRequestsFuzzTest answers by status: " + statuses);
        assertTrue(
                statuses.getOrDefault(200, 0) > 0 && statuses.keySet().stream().anyMatch(s -> s >= 400),
                "a run both stores and refuses: " + statuses);
        // Leave nothing in flight for later tests: the relay has dealt with every code stored here.
        await().atMost(Duration.ofSeconds(30)).until(() -> storedCodes.stream()
                .allMatch(id -> rows.count("select count(*) from otp_delivery where otp_id = ?", id) > 0));
    }

    private void assertRefusalIsQuarantined(int status, JsonNode body, String context) {
        assertTrue(body.path("message").isTextual(), context + " → " + status + " without a message: " + body);
        assertTrue(body.path("errors").isObject(), context + " → " + status + " without errors: " + body);
        UUID requestId = UUID.fromString(body.path("request_id").asText());
        Map<String, Object> row =
                rows.query("select http_status from quarantined_webhook where id = ?", requestId).stream()
                        .findFirst()
                        .orElse(null);
        assertTrue(row != null, context + " → " + status + " not quarantined: " + body);
        assertEquals(status, row.get("http_status"), context);
    }

    /** @return the provider id of a new, known-kind webhook, or null */
    private Long assertStoredOnce(HostileRequests.Request request, JsonNode body, String context) throws Exception {
        String status = body.path("status").asText();
        assertTrue(status.equals("accepted") || status.equals("duplicate"), context + " → " + body);
        String table = TABLES.get(body.path("type").asText());
        long id = body.path("id").asLong();
        long before = table == null ? 0 : rows.count("select count(*) from " + table, id);
        JsonNode again = JSON.readTree(post(request).asString());
        assertEquals("duplicate", again.path("status").asText(), context + ", sent again → " + again);
        assertEquals(body.path("type"), again.path("type"), context);
        assertEquals(body.path("id"), again.path("id"), context);
        if (table != null) {
            assertTrue(before >= 1, context + ": answered " + status + " but no row");
            assertEquals(before, rows.count("select count(*) from " + table, id), context + ": stored again");
        }
        return status.equals("accepted") && table != null ? id : null;
    }

    private static Response post(HostileRequests.Request request) {
        RequestSpecification spec = given().queryParam("token", brocard.webhooks.support.Webhooks.TOKEN)
                .header("Content-Type", request.contentType())
                .body(request.body());
        if (request.accept() != null) {
            spec = spec.header("Accept", request.accept());
        }
        return spec.post("/webhooks/brocard" + request.path());
    }
}
