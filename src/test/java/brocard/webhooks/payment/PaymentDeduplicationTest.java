package brocard.webhooks.payment;

import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import brocard.webhooks.support.Webhooks;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** A payment's state change is a new event; the same state again is a duplicate. */
@QuarkusTest
class PaymentDeduplicationTest {

    @Inject
    Rows rows;

    @Test
    void eachStateTransitionIsANewEventPublishedInOrder() {
        long id = Samples.nextId();
        Webhooks.post("", Samples.payment(id, 3, "PENDING")).statusCode(200).body("status", equalTo("accepted"));
        Webhooks.post("", Samples.payment(id, 1, "SETTLED")).statusCode(200).body("status", equalTo("accepted"));

        assertEquals(2, rows.count("select count(*) from payment_event where payment_id = ?", id));
        assertEquals(
                1L,
                rows.query("select state_value from payment where payment_id = ?", id)
                        .get(0)
                        .get("state_value"));
        try (TopicReader topic = new TopicReader("brocard.payments")) {
            List<ConsumerRecord<String, String>> records = topic.exactly(2, Long.toString(id));
            assertEquals(
                    List.of("brocard.payment.pending", "brocard.payment.settled"),
                    records.stream().map(r -> TopicReader.header(r, "ce_type")).toList());
            assertEquals(records.get(0).partition(), records.get(1).partition(), "one key, one partition, in order");
            assertNotEquals(TopicReader.header(records.get(0), "ce_id"), TopicReader.header(records.get(1), "ce_id"));
        }
    }

    @Test
    void anExactReplayIsADuplicateAndIsNotPublishedAgain() {
        long id = Samples.nextId();
        ObjectNode settled = Samples.payment(id, 1, "SETTLED");
        Webhooks.post("", settled).statusCode(200).body("status", equalTo("accepted"));
        Webhooks.post("", settled)
                .statusCode(200)
                .body("status", equalTo("duplicate"))
                .body("type", equalTo("payment"))
                .body("id", equalTo((int) id));
        // Same content, different key order and whitespace: still the same webhook, not a conflict.
        Webhooks.post("", reordered(settled)).statusCode(200).body("status", equalTo("duplicate"));

        assertEquals(1, rows.count("select count(*) from payment_event where payment_id = ?", id));
        assertEquals(0, rows.count("select count(*) from dedup_conflict where dedup_key = ?", id + "/1"));
        try (TopicReader topic = new TopicReader("brocard.payments")) {
            topic.exactly(1, Long.toString(id));
        }
    }

    @Test
    void aLatePendingNeverOverwritesAFinalState() {
        long id = Samples.nextId();
        Webhooks.post("", Samples.payment(id, 4, "DECLINED")).statusCode(200).body("status", equalTo("accepted"));
        Webhooks.post("", Samples.payment(id, 3, "PENDING")).statusCode(200).body("status", equalTo("accepted"));

        assertEquals(
                4L,
                rows.query("select state_value from payment where payment_id = ?", id)
                        .get(0)
                        .get("state_value"),
                "current state stays Declined");
        assertEquals(
                2,
                rows.count("select count(*) from payment_event where payment_id = ?", id),
                "the Pending event itself is kept and published: it did happen");
    }

    @Test
    void aFinalStateReplacesPendingInTheCurrentState() {
        long id = Samples.nextId();
        Webhooks.post("", Samples.payment(id, 3, "PENDING")).statusCode(200);
        Webhooks.post("", Samples.payment(id, 2, "VOID")).statusCode(200);
        assertEquals(
                2L,
                rows.query("select state_value from payment where payment_id = ?", id)
                        .get(0)
                        .get("state_value"));
    }

    @Test
    void aConflictingReplayKeepsTheFirstBodyAndIsRecorded() {
        double before = Metrics.value("brocard_webhooks_dedup_conflicts_total", "type=\"payment\"");
        long id = Samples.nextId();
        ObjectNode first = Samples.payment(id, 1, "SETTLED");
        ObjectNode changed = first.deepCopy();
        changed.put("amount", "999.99");

        Webhooks.post("", first).statusCode(200).body("status", equalTo("accepted"));
        Webhooks.post("", changed).statusCode(200).body("status", equalTo("duplicate"));

        assertEquals(0, new BigDecimal("100.00").compareTo((BigDecimal)
                        rows.query("select amount from payment_event where payment_id = ?", id)
                                .get(0)
                                .get("amount")));
        List<java.util.Map<String, Object>> conflicts = rows.query(
                "select webhook_type, body::text as body from dedup_conflict where dedup_key = ?", id + "/1");
        assertEquals(1, conflicts.size());
        assertEquals("payment", conflicts.get(0).get("webhook_type"));
        assertEquals(true, conflicts.get(0).get("body").toString().contains("999.99"));
        assertEquals(before + 1, Metrics.value("brocard_webhooks_dedup_conflicts_total", "type=\"payment\""));
        try (TopicReader topic = new TopicReader("brocard.payments")) {
            topic.exactly(1, Long.toString(id));
        }
    }

    /** The same JSON content with keys in reverse order and extra whitespace. */
    private static String reordered(ObjectNode body) {
        StringBuilder json = new StringBuilder("{\n");
        List<String> names = new java.util.ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        java.util.Collections.reverse(names);
        for (int i = 0; i < names.size(); i++) {
            json.append("  \"")
                    .append(names.get(i))
                    .append("\" :  ")
                    .append(body.get(names.get(i)))
                    .append(i < names.size() - 1 ? ",\n" : "\n");
        }
        return json.append("}").toString();
    }
}
