package brocard.webhooks.ingest;

import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.Webhooks;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the on-call dashboards read, asserted through /q/metrics as Prometheus scrapes it. */
@QuarkusTest
class MetricsTest {

    private static final String RECEIVED = "brocard_webhooks_received_total";

    @Test
    void webhooksAreCountedByTypeAndOutcome() {
        double accepted = Metrics.value(RECEIVED, "type=\"refund\"", "outcome=\"accepted\"");
        double duplicate = Metrics.value(RECEIVED, "type=\"refund\"", "outcome=\"duplicate\"");
        double invalid = Metrics.value(RECEIVED, "type=\"refund\"", "outcome=\"invalid\"");
        double unauthorized = Metrics.value(RECEIVED, "outcome=\"unauthorized\"");
        double quarantined = Metrics.value("brocard_quarantine_stored_total", "reason=\"invalid_fields\"");

        ObjectNode refund = Samples.fresh("refund-current");
        Webhooks.post("", refund).statusCode(200);
        Webhooks.post("", refund).statusCode(200);
        ObjectNode invalidRefund = Samples.fresh("refund-current");
        invalidRefund.remove("currency");
        Webhooks.post("", invalidRefund).statusCode(422);
        given().body("{}").post("/webhooks/brocard").then().statusCode(401);

        assertEquals(accepted + 1, Metrics.value(RECEIVED, "type=\"refund\"", "outcome=\"accepted\""));
        assertEquals(duplicate + 1, Metrics.value(RECEIVED, "type=\"refund\"", "outcome=\"duplicate\""));
        assertEquals(invalid + 1, Metrics.value(RECEIVED, "type=\"refund\"", "outcome=\"invalid\""));
        assertEquals(unauthorized + 1, Metrics.value(RECEIVED, "outcome=\"unauthorized\""));
        assertEquals(quarantined + 1, Metrics.value("brocard_quarantine_stored_total", "reason=\"invalid_fields\""));
        assertTrue(Metrics.value("brocard_webhooks_store_duration_seconds_count", "type=\"refund\"") >= 1);
        String text = given().get("/q/metrics").then().extract().asString();
        assertTrue(text.contains("brocard_webhooks_store_duration_seconds_bucket{"), "histogram for the p99 alert");
        assertTrue(text.contains("brocard_ingest_batch_size_count{lane=\"events-0\"}"), "writer batch sizes");
        assertTrue(text.contains("brocard_ingest_queue_depth{lane=\"otp\"}"), "writer queue depth");
    }

    @Test
    void theOutboxReportsPublishingAndBacklog() {
        double published =
                Metrics.value("brocard_outbox_published_total", "topic=\"brocard.refunds\"", "outcome=\"published\"");
        Webhooks.post("", Samples.fresh("refund-current")).statusCode(200);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Metrics.value(
                                "brocard_outbox_published_total", "topic=\"brocard.refunds\"", "outcome=\"published\"")
                        >= published + 1); // other tests' rows may drain too
        assertTrue(Metrics.value("brocard_outbox_lag_seconds_count", "topic=\"brocard.refunds\"") >= 1);
        String text = given().get("/q/metrics").then().extract().asString();
        assertTrue(text.contains("brocard_outbox_pending "), "backlog gauge exported");
        assertTrue(text.contains("brocard_outbox_oldest_pending_age_seconds "), "backlog age gauge exported");
    }
}
