package brocard.webhooks.audit;

import brocard.webhooks.support.Relay;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.Webhooks;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionRequiredException;
import jakarta.transaction.TransactionalException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every change through the operator API leaves an audit row naming the operator token, in the same transaction as
 * the change, without secrets; read tokens cannot change anything, unknown tokens get nothing.
 */
@QuarkusTest
class AdminAuditTest {

    private static final String ALICE = "test-alice-token";
    private static final String READER = "test-reader-token";
    /** Credentials in a route that must never reach the audit log. */
    private static final String URL_PASSWORD = "pw-in-url-5521";

    private static final String URL_QUERY_TOKEN = "qtoken-8813";
    private static final String SLACK_PATH = "T000/B000/slacksecret7781";

    @Inject
    Rows rows;

    @Inject
    AuditLog auditLog;

    @Test
    void everyDirectoryChangeIsRecordedWithItsOperatorAndWithoutSecrets() {
        long id = Samples.nextId();
        String target = "recipient/" + id;
        String webhookUrl =
                Relay.webhookRoute("/ada").get("target").toString().replace("://", "://ada:" + URL_PASSWORD + "@")
                        + "?token=" + URL_QUERY_TOKEN;
        Map<String, Object> created = Map.of(
                "recipientId",
                id,
                "displayName",
                "Ada",
                "routes",
                List.of(
                        Map.of("channel", "telegram", "target", "-100123456"),
                        Map.of("channel", "webhook", "target", webhookUrl, "secret", Relay.SECRET)));
        as(ALICE).body(created).post("/admin/recipients").then().statusCode(201);
        as(ALICE)
                .body(Map.of(
                        "displayName",
                        "Ada L.",
                        "routes",
                        List.of(Map.of(
                                "channel", "slack", "target", "https://hooks.slack.com/services/" + SLACK_PATH))))
                .put("/admin/recipients/" + id)
                .then()
                .statusCode(200);
        as(Webhooks.ADMIN_TOKEN)
                .body(List.of(Map.of(
                        "recipientId",
                        id,
                        "displayName",
                        "Ada Lovelace",
                        "routes",
                        List.of(Map.of("channel", "email", "target", "ada@example.com")))))
                .post("/admin/recipients/import")
                .then()
                .statusCode(200);
        as(ALICE).delete("/admin/recipients/" + id).then().statusCode(204);

        JsonPath log = as(READER)
                .queryParam("target", target)
                .get("/admin/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        // Newest first.
        assertEquals(
                List.of("recipient.delete", "recipient.import", "recipient.replace", "recipient.create"),
                log.getList("action"));
        assertEquals(List.of("ops-alice", legacyName(), "ops-alice", "ops-alice"), log.getList("actor"));

        assertNull(log.get("[3].details.before"));
        assertEquals("Ada", log.get("[3].details.after.displayName"));
        assertEquals(List.of("telegram", "webhook"), log.getList("[3].details.after.routes.channel"));
        assertEquals(true, log.get("[3].details.after.routes[1].hasSecret"));
        assertTrue(
                log.getString("[3].details.after.routes[1].target").startsWith("http://***@"),
                log.getString("[3].details.after.routes[1].target"));
        assertTrue(log.getString("[3].details.after.routes[1].target").endsWith("/ada?token=***"));

        assertEquals("Ada", log.get("[2].details.before.displayName"));
        assertEquals("Ada L.", log.get("[2].details.after.displayName"));
        assertEquals("https://hooks.slack.com/***", log.get("[2].details.after.routes[0].target"));

        assertEquals("Ada L.", log.get("[1].details.before.displayName"));
        assertEquals("ada@example.com", log.get("[1].details.after.routes[0].target"));

        assertEquals("Ada Lovelace", log.get("[0].details.before.displayName"));
        assertNull(log.get("[0].details.after"));

        // Neither the API nor the table holds a secret, whatever column one could hide in.
        String stored = rows.query(
                        "select string_agg(actor || action || target || details::text, ' ') as all_text "
                                + "from admin_audit where target = ?",
                        target)
                .get(0)
                .get("all_text")
                .toString();
        for (String secret :
                List.of(URL_PASSWORD, URL_QUERY_TOKEN, SLACK_PATH, Relay.SECRET, ALICE, Webhooks.ADMIN_TOKEN)) {
            assertFalse(stored.contains(secret), "audit row holds a secret");
            assertFalse(log.prettify().contains(secret), "audit API shows a secret");
        }
    }

    @Test
    void theLogPagesBackwardsNewestFirst() {
        long id = Samples.nextId();
        for (String name : List.of("One", "Two", "Three")) {
            as(ALICE)
                    .body(Map.of("displayName", name, "routes", List.of()))
                    .put("/admin/recipients/" + id)
                    .then()
                    .statusCode(200);
        }
        JsonPath first = as(READER)
                .queryParam("target", "recipient/" + id)
                .queryParam("limit", 2)
                .get("/admin/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(List.of("Three", "Two"), first.getList("details.after.displayName"));
        long oldestShown = first.getLong("[1].id");
        as(READER)
                .queryParam("target", "recipient/" + id)
                .queryParam("before", oldestShown)
                .get("/admin/audit")
                .then()
                .statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].action", equalTo("recipient.create"))
                .body("[0].details.after.displayName", equalTo("One"));
    }

    @Test
    void aQuarantineReplayIsRecordedWithItsOutcome() {
        ObjectNode refund = Samples.fresh("refund-current");
        String requestId =
                Webhooks.post("/payments", refund).statusCode(422).extract().path("request_id");

        as(ALICE)
                .queryParam("endpoint", "COMBINED")
                .post("/admin/quarantine/" + requestId + "/replay")
                .then()
                .statusCode(200)
                .body("outcome", equalTo("accepted"));

        as(READER)
                .queryParam("target", "quarantine/" + requestId)
                .get("/admin/audit")
                .then()
                .statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].actor", equalTo("ops-alice"))
                .body("[0].action", equalTo("quarantine.replay"))
                .body("[0].details.endpoint", equalTo("PAYMENTS"))
                .body("[0].details.replayedTo", equalTo("COMBINED"))
                .body("[0].details.reason", equalTo("INVALID_FIELDS"))
                .body("[0].details.outcome", equalTo("accepted"))
                .body("[0].at", not(nullValue()));
    }

    @Test
    void aReadTokenReadsButCannotChangeAnything() {
        long id = Samples.nextId();
        as(ALICE)
                .body(Map.of(
                        "recipientId",
                        id,
                        "displayName",
                        "Bo",
                        "routes",
                        List.of(Map.of("channel", "telegram", "target", "42"))))
                .post("/admin/recipients")
                .then()
                .statusCode(201);

        as(READER).get("/admin/recipients/" + id).then().statusCode(200);
        as(READER).get("/admin/quarantine").then().statusCode(200);
        as(READER)
                .body(Map.of("recipientId", Samples.nextId(), "displayName", "X", "routes", List.of()))
                .post("/admin/recipients")
                .then()
                .statusCode(403)
                .body("message", containsString("ops-reader"))
                .body("request_id", not(nullValue()));
        as(READER)
                .body(Map.of("displayName", "Changed", "routes", List.of()))
                .put("/admin/recipients/" + id)
                .then()
                .statusCode(403);
        as(READER).delete("/admin/recipients/" + id).then().statusCode(403);
        as(READER).body(List.of()).post("/admin/recipients/import").then().statusCode(403);
        as(READER)
                .post("/admin/quarantine/" + java.util.UUID.randomUUID() + "/replay")
                .then()
                .statusCode(403);

        as(READER).get("/admin/recipients/" + id).then().statusCode(200).body("displayName", equalTo("Bo"));
        as(READER)
                .queryParam("actor", "ops-reader")
                .get("/admin/audit")
                .then()
                .statusCode(200)
                .body("", empty());
    }

    @Test
    void unknownOrMissingTokensGetNothing() {
        given().get("/admin/audit").then().statusCode(401).header("WWW-Authenticate", "Bearer");
        as("not-a-token").get("/admin/recipients").then().statusCode(401);
        as("not-a-token").delete("/admin/recipients/1").then().statusCode(401);
        // A named entry's whole text is not its token.
        as("ops-alice:write:" + ALICE).get("/admin/audit").then().statusCode(401);
        given().header("Authorization", "Basic " + ALICE)
                .get("/admin/audit")
                .then()
                .statusCode(401);
    }

    @Test
    void aRefusedChangeLeavesNoAuditRow() {
        long id = Samples.nextId();
        as(ALICE)
                .body(Map.of("recipientId", id, "displayName", "", "routes", List.of()))
                .post("/admin/recipients")
                .then()
                .statusCode(422);
        as(ALICE).delete("/admin/recipients/" + id).then().statusCode(404);
        assertEquals(0, rows.count("select count(*) from admin_audit where target = ?", "recipient/" + id));
    }

    @Test
    void theAuditLogIsWrittenOnlyInsideTheChangesTransactionAndNeverRewritten() {
        TransactionalException outside = assertThrows(
                TransactionalException.class, () -> auditLog.record("someone", "test.action", "test/1", Map.of()));
        assertTrue(outside.getCause() instanceof TransactionRequiredException, String.valueOf(outside.getCause()));
        assertEquals(0, rows.count("select count(*) from admin_audit where actor = 'someone'"));
        long id = Samples.nextId();
        as(ALICE)
                .body(Map.of("recipientId", id, "displayName", "Cy", "routes", List.of()))
                .post("/admin/recipients")
                .then()
                .statusCode(201);
        IllegalStateException refused = assertThrows(
                IllegalStateException.class,
                () -> rows.update("update admin_audit set actor = 'someone-else' where target = ?", "recipient/" + id));
        assertTrue(
                refused.getCause().getMessage().contains("append-only"),
                refused.getCause().getMessage());
    }

    /** The name a bare (pre-named-token) token gets: stable, from its digest, not the token. */
    private static String legacyName() {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Webhooks.ADMIN_TOKEN.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "unnamed-" + java.util.HexFormat.of().formatHex(digest, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }
}
