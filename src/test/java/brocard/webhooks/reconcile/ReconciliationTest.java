package brocard.webhooks.reconcile;

import brocard.webhooks.support.FakeBrocardApi;
import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import brocard.webhooks.support.Webhooks;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A window where some events came as webhooks and the rest exist only in Brocard's API: reconciliation stores and
 * publishes exactly the missing ones, through the same dedup and outbox, marked as recovered; a second run
 * recovers nothing; a late webhook of a recovered event is a duplicate.
 */
@QuarkusTest
class ReconciliationTest {

    @Inject
    Rows rows;

    @BeforeEach
    void freshApi() {
        FakeBrocardApi.reset();
    }

    @Test
    void recoversWhatOnlyTheApiHasExactlyOnce_pagesAndCursors() {
        // Payments, current version (page-based): 1 and 2 arrived as webhooks; 2 was Pending then, Settled now;
        // 3 and 4 never arrived. Refunds (cursor-based): 5 arrived, 6 and 7 did not.
        long p1 = Samples.nextId(), p2 = Samples.nextId(), p3 = Samples.nextId(), p4 = Samples.nextId();
        long r5 = Samples.nextId(), r6 = Samples.nextId(), r7 = Samples.nextId();
        Webhooks.post("", Samples.payment(p1, 1, "SETTLED")).statusCode(200);
        Webhooks.post("", Samples.payment(p2, 3, "PENDING")).statusCode(200);
        ObjectNode refund = Samples.load("refund-current");
        refund.put("id", r5);
        Webhooks.post("", refund).statusCode(200);

        FakeBrocardApi.paymentsByPages(List.of(
                List.of(api(p1, 1, "SETTLED"), api(p2, 1, "SETTLED")),
                List.of(api(p3, 1, "SETTLED"), api(p4, 4, "DECLINED"))));
        FakeBrocardApi.refundsByCursor(List.of(
                List.of(FakeBrocardApi.refund(r5), FakeBrocardApi.refund(r6)), List.of(FakeBrocardApi.refund(r7))));
        double recoveredBefore = Metrics.value("brocard_reconcile_recovered_total", "type=\"payment\"");

        JsonPath first = Runs.runToEnd(List.of("payments", "refunds"));
        assertEquals("succeeded", first.getString("status"), first.prettify());
        assertEquals(7, first.getInt("scanned"));
        assertEquals(5, first.getInt("recovered")); // p2 settled, p3, p4, r6, r7
        assertEquals(2, first.getInt("already_known")); // p1 settled, r5
        assertEquals(0, first.getInt("conflicts"));
        assertNull(first.get("error"));
        assertEquals(3.0, Metrics.value("brocard_reconcile_recovered_total", "type=\"payment\"") - recoveredBefore);
        // Both pages of each list were read, the second by page number and by cursor.
        assertEquals(2, FakeBrocardApi.requests("/payments").size());
        assertEquals(
                "2",
                FakeBrocardApi.requests("/payments")
                        .get(1)
                        .queryParameter("page")
                        .firstValue());
        assertEquals(2, FakeBrocardApi.requests("/refunds").size());

        JsonPath second = Runs.runToEnd(List.of("payments", "refunds"));
        assertEquals("succeeded", second.getString("status"));
        assertEquals(0, second.getInt("recovered"));
        assertEquals(7, second.getInt("already_known"));

        // A webhook that arrives late for a recovered event is a duplicate: nothing is published again.
        Webhooks.post("", Samples.payment(p3, 1, "SETTLED")).statusCode(200).body("status", equalTo("duplicate"));

        try (TopicReader payments = new TopicReader("brocard.payments")) {
            assertOrigins(payments.exactly(1, Long.toString(p1)), "webhook");
            List<ConsumerRecord<String, String>> p2Records = payments.exactly(2, Long.toString(p2));
            assertEquals("brocard.payment.pending", TopicReader.header(p2Records.get(0), "ce_type"));
            assertEquals("webhook", TopicReader.header(p2Records.get(0), "ce_brocardorigin"));
            assertEquals("brocard.payment.settled", TopicReader.header(p2Records.get(1), "ce_type"));
            assertEquals("reconciliation", TopicReader.header(p2Records.get(1), "ce_brocardorigin"));
            assertOrigins(payments.exactly(1, Long.toString(p3)), "reconciliation");
            List<ConsumerRecord<String, String>> p4Records = payments.exactly(1, Long.toString(p4));
            assertEquals("brocard.payment.declined", TopicReader.header(p4Records.get(0), "ce_type"));
        }
        try (TopicReader refunds = new TopicReader("brocard.refunds")) {
            assertOrigins(refunds.exactly(1, Long.toString(r5)), "webhook");
            assertOrigins(refunds.exactly(1, Long.toString(r6)), "reconciliation");
            assertOrigins(refunds.exactly(1, Long.toString(r7)), "reconciliation");
        }
        // The recovered payment is the current state too, stored like a webhook's; no conflict was recorded for
        // the REST bodies (no user.uuid) of events that had come as webhooks.
        assertEquals(1L, rows.count("select state_value from payment where payment_id = ?", p2));
        assertEquals(
                0L,
                rows.count(
                        "select count(*) from dedup_conflict where dedup_key in (?, ?)", p1 + "/1", Long.toString(r5)));
    }

    @Test
    void followsThePreviousVersionsCursorsForPayments() {
        long a = Samples.nextId(), b = Samples.nextId(), c = Samples.nextId();
        FakeBrocardApi.paymentsByCursor(List.of(
                List.of(FakeBrocardApi.previousPayment(a, 1, "SETTLED")),
                List.of(FakeBrocardApi.previousPayment(b, 2, "VOID")),
                List.of(FakeBrocardApi.previousPayment(c, 3, "PENDING"))));

        JsonPath run = Runs.runToEnd(List.of("payments"));

        assertEquals("succeeded", run.getString("status"), run.prettify());
        assertEquals(3, run.getInt("recovered"));
        assertEquals(3, FakeBrocardApi.requests("/payments").size());
        assertEquals(0, FakeBrocardApi.requests("/refunds").size());
        assertEquals(1L, rows.count("select count(*) from payment_event where payment_id = ? and state_value = 2", b));
        try (TopicReader payments = new TopicReader("brocard.payments")) {
            assertOrigins(payments.exactly(1, Long.toString(c)), "reconciliation");
        }
    }

    @Test
    void anEventStoredWithAnotherAmountIsAConflictAndStaysAsStored() {
        long id = Samples.nextId();
        Webhooks.post("", Samples.payment(id, 1, "SETTLED")).statusCode(200);
        ObjectNode changed = api(id, 1, "SETTLED");
        changed.put("amount", "99.99");
        FakeBrocardApi.paymentsByPages(List.of(List.of(changed)));

        JsonPath run = Runs.runToEnd(List.of("payments"));

        assertEquals(1, run.getInt("conflicts"));
        assertEquals(0, run.getInt("recovered"));
        assertEquals(
                0,
                ((Number) rows.query("select amount from payment_event where payment_id = ?", id)
                                        .get(0)
                                        .get("amount"))
                                .intValue()
                        - 100);
    }

    @Test
    void anEntryThatFailsValidationIsQuarantinedLikeAWebhook() {
        long id = Samples.nextId();
        ObjectNode broken = api(id, 1, "SETTLED");
        broken.remove("currency");
        FakeBrocardApi.paymentsByPages(List.of(List.of(broken)));

        JsonPath run = Runs.runToEnd(List.of("payments"));

        assertEquals("succeeded", run.getString("status"));
        assertEquals(1, run.getInt("invalid"));
        assertEquals(0L, rows.count("select count(*) from payment_event where payment_id = ?", id));
        assertEquals(
                1L,
                rows.count(
                        "select count(*) from quarantined_webhook where remote_address = 'brocard-api' "
                                + "and body_preview ->> 'id' = ?",
                        Long.toString(id)));

        // The next run still counts it, but does not quarantine it a second time.
        JsonPath next = Runs.runToEnd(List.of("payments"));
        assertEquals(1, next.getInt("invalid"));
        assertEquals(
                1L,
                rows.count(
                        "select count(*) from quarantined_webhook where remote_address = 'brocard-api' "
                                + "and body_preview ->> 'id' = ?",
                        Long.toString(id)));
    }

    private static ObjectNode api(long id, int state, String label) {
        return FakeBrocardApi.payment(id, state, label, "2026-01-02 10:00:00");
    }

    private static void assertOrigins(List<ConsumerRecord<String, String>> records, String origin) {
        for (ConsumerRecord<String, String> record : records) {
            assertEquals(origin, TopicReader.header(record, "ce_brocardorigin"));
        }
    }
}
