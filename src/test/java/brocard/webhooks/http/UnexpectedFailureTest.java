package brocard.webhooks.http;

import brocard.webhooks.support.CapturedLogs;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.Webhooks;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What nobody answered is answered by {@link UnexpectedFailureMapper}: Brocard's error format, a fresh request id, and
 * one log line that never holds the webhook token, whatever failed.
 */
@QuarkusTest
class UnexpectedFailureTest {

    @Inject
    Rows rows;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void anUnexpectedFailureIs500InBrocardsFormatWithOneLogLineAndNoToken() {
        ObjectNode invalid = Samples.fresh("refund-current");
        invalid.remove("amount");
        String requestId;
        try (CapturedLogs logs = new CapturedLogs()) {
            // The refusal cannot be quarantined: a fault of ours (a missing table), not the database being away.
            rows.update("alter table quarantined_webhook rename to quarantined_webhook_away");
            try {
                requestId = Webhooks.post("/refunds", invalid)
                        .statusCode(500)
                        .contentType(startsWith("application/json"))
                        .body("message", equalTo("The request could not be processed because of an internal error."))
                        .body("errors", anEmptyMap())
                        .extract()
                        .path("request_id");
            } finally {
                rows.update("alter table quarantined_webhook_away rename to quarantined_webhook");
            }
            List<String> lines = linesWith(logs, requestId);
            assertEquals(1, lines.size(), "one line per failure: " + lines);
            String line = lines.get(0);
            assertTrue(line.contains("(POST /webhooks/brocard/refunds)"), "method and route template: " + line);
            assertTrue(line.contains("answered 500"), line);
            assertTrue(line.contains("SQLState 42P01"), "the cause, by class and SQLState: " + line);
            assertFalse(line.contains("quarantined_webhook"), "no exception message (it may quote values): " + line);
            assertNoToken(logs);
        }
        assertEquals(
                0, rows.count("select count(*) from quarantined_webhook where id = ?", UUID.fromString(requestId)));
        // The table is back: the same refusal is quarantined again.
        Webhooks.post("/refunds", invalid).statusCode(422);
    }

    @Test
    void theDatabaseBeingUnreachableIs503WithRetryAfter() throws SQLException {
        ObjectNode invalid = Samples.fresh("payment-current");
        invalid.remove("currency");
        AgroalConnectionPoolConfiguration pool = dataSource.getConfiguration().connectionPoolConfiguration();
        Duration acquisitionTimeout = pool.acquisitionTimeout();
        List<Connection> held = new ArrayList<>();
        try (CapturedLogs logs = new CapturedLogs()) {
            // Every connection of the pool taken: the quarantine's insert waits for one in vain, as it would for a
            // database that does not answer. A short wait keeps the test (and the app's other users) brief.
            pool.setAcquisitionTimeout(Duration.ofMillis(300));
            for (int i = 0; i <= pool.maxSize(); i++) {
                try {
                    held.add(dataSource.getConnection());
                } catch (SQLException exhausted) {
                    break;
                }
            }
            String requestId = Webhooks.post("", invalid)
                    .statusCode(503)
                    .header("Retry-After", "1")
                    .body("message", equalTo("The webhook could not be stored; retry shortly."))
                    .body("errors", anEmptyMap())
                    .extract()
                    .path("request_id");
            // Answered by the ingest path itself (the quarantine failed), which logs why before answering.
            List<String> lines = linesWith(logs, requestId);
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("answered 503, database unavailable"), lines.get(0));
            assertNoToken(logs);
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
            pool.setAcquisitionTimeout(acquisitionTimeout);
        }
        Webhooks.post("", invalid).statusCode(422);
    }

    @Test
    void refusalsAndUnauthorizedRequestsNeverLogTheToken() {
        try (CapturedLogs logs = new CapturedLogs()) {
            given().contentType(ContentType.JSON)
                    .queryParam("token", "not-" + Webhooks.TOKEN)
                    .queryParam("note", Webhooks.TOKEN)
                    .body(Samples.fresh("refund-current").toString())
                    .post("/webhooks/brocard")
                    .then()
                    .statusCode(401);
            given().contentType(ContentType.JSON)
                    .auth()
                    .preemptive()
                    .basic("brocard", Webhooks.TOKEN + "x")
                    .body("{")
                    .post("/webhooks/brocard/3ds")
                    .then()
                    .statusCode(401);
            Webhooks.post("/3ds", "{\"code\": 1").statusCode(400);
            ObjectNode invalid = Samples.fresh("otp-example");
            invalid.remove("recipient_id");
            Webhooks.post("/3ds", invalid).statusCode(422);

            assertTrue(
                    logs.lines().stream().anyMatch(line -> line.contains("Quarantined webhook")),
                    "the capture sees the application's log lines");
            assertNoToken(logs);
        }
    }

    @Test
    void webApplicationExceptionsKeepTheirOwnAnswer() {
        given().queryParam("token", Webhooks.TOKEN)
                .get("/webhooks/brocard")
                .then()
                .statusCode(405);
        given().contentType(ContentType.JSON)
                .queryParam("token", Webhooks.TOKEN)
                .body("{}")
                .post("/webhooks/brocard/nowhere")
                .then()
                .statusCode(404);
        given().header("Authorization", "Bearer " + Webhooks.ADMIN_TOKEN)
                .get("/admin/quarantine/" + UUID.randomUUID())
                .then()
                .statusCode(404);
    }

    @Test
    void whatReachesQuarkusOwnErrorHandlerLosesItsQueryString() {
        try (CapturedLogs logs = new CapturedLogs()) {
            // The record Quarkus' handler writes for a failure outside the REST layer, written the same way.
            Logger.getLogger(QueryStringRedaction.QUARKUS_ERROR_HANDLER)
                    .errorf(
                            new IllegalStateException("boom"),
                            "HTTP Request to %s failed, error id: %s",
                            "/webhooks/brocard/3ds?token=" + Webhooks.TOKEN,
                            "e-1");
            List<String> lines = linesWith(logs, "e-1");
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("/webhooks/brocard/3ds?(query omitted)"), lines.get(0));
            assertNoToken(logs);
        }
    }

    private static List<String> linesWith(CapturedLogs logs, String text) {
        return logs.lines().stream().filter(line -> line.contains(text)).toList();
    }

    private static void assertNoToken(CapturedLogs logs) {
        for (String line : logs.lines()) {
            assertFalse(
                    line.contains(Webhooks.TOKEN),
                    "the token reached the log: " + line.replace(Webhooks.TOKEN, "<TOKEN>"));
        }
    }
}
