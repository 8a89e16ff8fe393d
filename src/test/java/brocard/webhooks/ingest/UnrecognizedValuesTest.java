package brocard.webhooks.ingest;

import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import brocard.webhooks.support.Webhooks;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Brocard adds values without notice: they are stored and flagged, never dropped. */
@QuarkusTest
class UnrecognizedValuesTest {

    @Inject
    Rows rows;

    @Test
    void anUnknownPaymentStateIsStoredPublishedAndCounted() {
        double before = Metrics.value("brocard_webhooks_unrecognized_total", "field=\"state.value\"");
        long id = Samples.nextId();
        Webhooks.post("", Samples.payment(id, 9, "CHARGEBACK")).statusCode(200).body("status", equalTo("accepted"));

        assertEquals(1, rows.count("select count(*) from payment_event where payment_id = ? and state_value = 9", id));
        try (TopicReader topic = new TopicReader("brocard.payments")) {
            assertEquals(
                    "brocard.payment.unknown",
                    TopicReader.header(topic.exactly(1, Long.toString(id)).get(0), "ce_type"));
        }
        assertEquals(before + 1, Metrics.value("brocard_webhooks_unrecognized_total", "field=\"state.value\""));
    }

    @Test
    void anUnknownWebhookTypeIsStoredOnceCountedAndNotPublished() {
        double before = Metrics.value("brocard_webhooks_unrecognized_total", "field=\"webhook_type\"");
        ObjectNode body = Samples.fresh("refund-current");
        body.put("webhook_type", "chargeback");
        body.put("code", "secret-looking");
        long id = body.get("id").asLong();

        Webhooks.post("", body)
                .statusCode(200)
                .body("status", equalTo("accepted"))
                .body("type", equalTo("chargeback"))
                .body("id", equalTo((int) id));
        Webhooks.post("", body).statusCode(200).body("status", equalTo("duplicate"));

        assertEquals(1, rows.count("select count(*) from unrecognized_webhook where provider_id = ?", id));
        String stored = rows.query("select body::text as b from unrecognized_webhook where provider_id = ?", id)
                .get(0)
                .get("b")
                .toString();
        assertFalse(stored.contains("secret-looking"), "top-level code/password are never stored in clear");
        assertEquals(
                before + 1,
                Metrics.value("brocard_webhooks_unrecognized_total", "field=\"webhook_type\""),
                "counted once, when first stored");
    }
}
