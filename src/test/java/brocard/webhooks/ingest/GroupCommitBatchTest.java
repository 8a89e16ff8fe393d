package brocard.webhooks.ingest;

import brocard.webhooks.inbound.WebhookKind;
import brocard.webhooks.outbox.OutboxWriter;
import brocard.webhooks.security.BodyFingerprint;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static brocard.webhooks.ingest.IngestResult.Status.ACCEPTED;
import static brocard.webhooks.ingest.IngestResult.Status.DUPLICATE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The group-commit transaction on real PostgreSQL, with batches composed on purpose: each webhook gets the outcome it
 * would have had alone, in arrival order, whether its twin is in the same batch, in a concurrent batch, or stored.
 */
@QuarkusTest
class GroupCommitBatchTest {

    @Inject
    Instance<WebhookIngestor<?>> ingestors;

    @Inject
    DedupConflicts conflicts;

    @Inject
    OutboxWriter outbox;

    @Inject
    BodyFingerprint fingerprints;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Rows rows;

    private WriteBatch batch;

    @BeforeEach
    void buildBatch() {
        Map<WebhookKind, WebhookIngestor<?>> byKind = new EnumMap<>(WebhookKind.class);
        ingestors.forEach(i -> byKind.put(i.kind(), i));
        batch = new WriteBatch(byKind, conflicts, outbox);
    }

    @Test
    void duplicatesInsideOneBatchAreAnsweredAsIfTheyHadArrivedOneByOne() throws Exception {
        long p1 = Samples.nextId();
        long p2 = Samples.nextId();
        ObjectNode settled = Samples.payment(p1, 1, "SETTLED");
        ObjectNode conflicting = settled.deepCopy().put("amount", 999.99);
        List<IngestResult> results = commit(List.of(
                request(settled),
                request(settled.deepCopy()),
                request(conflicting),
                request(Samples.payment(p2, 3, "PENDING")),
                request(Samples.payment(p2, 1, "SETTLED")),
                request(Samples.payment(p2, 3, "PENDING"))));

        assertEquals(
                List.of(ACCEPTED, DUPLICATE, DUPLICATE, ACCEPTED, ACCEPTED, DUPLICATE),
                results.stream().map(IngestResult::status).toList());
        assertEquals(1, rows.count("select count(*) from payment_event where payment_id = ?", p1));
        assertEquals(
                1,
                rows.count("select count(*) from dedup_conflict where dedup_key = ?", p1 + "/1"),
                "only the copy with another body is a conflict");
        assertEquals(1, rows.count("select count(*) from outbox_event where record_key = ?", Long.toString(p1)));
        // p2's two states are two events, queued in arrival order; its current state is the final one.
        assertEquals(
                List.of("brocard.payment.pending", "brocard.payment.settled"),
                rows
                        .query(
                                "select event_type from outbox_event where record_key = ? order by id",
                                Long.toString(p2))
                        .stream()
                        .map(r -> r.get("event_type"))
                        .toList());
        assertEquals(1L, rows.count("select state_value from payment where payment_id = ?", p2));
        try (TopicReader topic = new TopicReader("brocard.payments")) {
            topic.exactly(1, Long.toString(p1));
        }
    }

    @Test
    void theSameKeyInTwoConcurrentBatchesIsStoredOnceAndTheSecondWaitsForTheFirst() throws Exception {
        long id = Samples.nextId();
        ObjectNode refund = Samples.fresh("refund-current").put("id", id);
        RacingBatches race = race(refund);
        assertEquals(ACCEPTED, race.first().get(0).status());
        assertEquals(DUPLICATE, race.afterFirstEnds(true).get(0).status());
        assertEquals(0, rows.count("select count(*) from dedup_conflict where dedup_key = ?", Long.toString(id)));
        assertStoredAndPublishedOnce(id);
    }

    @Test
    void whenTheFirstOfTwoConcurrentBatchesRollsBackTheSecondStoresTheEvent() throws Exception {
        long id = Samples.nextId();
        ObjectNode refund = Samples.fresh("refund-current").put("id", id);
        assertEquals(ACCEPTED, race(refund).afterFirstEnds(false).get(0).status());
        assertStoredAndPublishedOnce(id);
    }

    /**
     * Two transactions store the same refund: the first one's batch runs, then the second one's insert waits on the
     * first one's uncommitted row (the unique index decides) until the first commits or rolls back.
     */
    private RacingBatches race(ObjectNode refund) throws Exception {
        Connection first = transaction();
        Connection second = transaction();
        List<IngestResult> firstResults =
                batch.store(first, List.of(request(refund))).results();
        CompletableFuture<List<IngestResult>> secondResults = CompletableFuture.supplyAsync(() -> {
            try {
                return batch.store(second, List.of(request(refund.deepCopy()))).results();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitABlockedInsert();
        assertFalse(secondResults.isDone(), "the second batch waits for the first to commit or roll back");
        return new RacingBatches(first, second, firstResults, secondResults);
    }

    private record RacingBatches(
            Connection firstConnection,
            Connection secondConnection,
            List<IngestResult> first,
            CompletableFuture<List<IngestResult>> second) {

        /** Commits (or rolls back) the first batch, then commits the second and returns its results. */
        List<IngestResult> afterFirstEnds(boolean commitFirst) throws Exception {
            try (Connection a = firstConnection;
                    Connection b = secondConnection) {
                if (commitFirst) {
                    a.commit();
                } else {
                    a.rollback();
                }
                List<IngestResult> results = second.get(20, TimeUnit.SECONDS);
                b.commit();
                return results;
            }
        }
    }

    private void assertStoredAndPublishedOnce(long refundId) {
        assertEquals(1, rows.count("select count(*) from refund_event where refund_id = ?", refundId));
        assertEquals(
                1,
                rows.count(
                        "select count(*) from outbox_event where record_key = ? and topic = ?",
                        Long.toString(refundId),
                        "brocard.refunds"));
        try (TopicReader topic = new TopicReader("brocard.refunds")) {
            topic.exactly(1, Long.toString(refundId));
        }
    }

    @Test
    void aBatchWithAWebhookConflictingWithAStoredOneStoresTheRestAndRecordsTheConflict() throws Exception {
        ObjectNode stored = Samples.fresh("refund-current");
        commit(List.of(request(stored)));
        ObjectNode conflicting = stored.deepCopy().put("amount", 1.23);
        ObjectNode otp = Samples.fresh("otp-example");
        ObjectNode fresh = Samples.fresh("refund-current");

        List<IngestResult> results = commit(List.of(request(conflicting), request(otp), request(fresh)));

        assertEquals(
                List.of(DUPLICATE, ACCEPTED, ACCEPTED),
                results.stream().map(IngestResult::status).toList());
        String storedId = stored.get("id").asText();
        assertEquals(
                1,
                rows.count(
                        "select count(*) from dedup_conflict where webhook_type = 'refund' " + "and dedup_key = ?",
                        storedId));
        assertEquals(
                1,
                rows.count(
                        "select count(*) from outbox_event where record_key = ? and topic = ?",
                        storedId,
                        "brocard.refunds"),
                "the conflicting copy is not published");
        assertEquals(
                1,
                rows.count(
                        "select count(*) from otp_code_event where otp_id = ?",
                        otp.get("id").asLong()));
        assertEquals(
                1,
                rows.count(
                        "select count(*) from refund_event where refund_id = ?",
                        fresh.get("id").asLong()));
        try (TopicReader topic = new TopicReader("brocard.refunds")) {
            topic.exactly(1, storedId);
            topic.exactly(1, fresh.get("id").asText());
        }
    }

    /**
     * Two batches store the first events of one payment at once: the second finds no current-state row (the first's
     * is not committed), waits on its insert, and then applies its event to the first's row instead of overwriting
     * it; its published event says the current state it found.
     */
    @Test
    void aPaymentFirstStoredByAConcurrentBatchIsAppliedToNotOverwritten() throws Exception {
        long id = Samples.nextId();
        ObjectNode voided = Samples.payment(id, 2, "VOID").put("date_final_state", "2026-11-25 10:00:09");
        ObjectNode settledEarlier = Samples.payment(id, 1, "SETTLED").put("date_final_state", "2026-11-25 10:00:01");
        try (Connection first = transaction();
                Connection second = transaction()) {
            batch.store(first, List.of(request(voided)));
            CompletableFuture<List<IngestResult>> secondResults = CompletableFuture.supplyAsync(() -> {
                try {
                    return batch.store(second, List.of(request(settledEarlier))).results();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitABlockedInsert();
            assertFalse(secondResults.isDone(), "the second batch waits for the first one's payment row");
            first.commit();
            assertEquals(
                    ACCEPTED, secondResults.get(20, TimeUnit.SECONDS).get(0).status());
            second.commit();
        }
        assertEquals(
                2L,
                rows.count("select state_value from payment where payment_id = ?", id),
                "the later final state (by date_final_state) stays current");
        List<String> payloads =
                rows
                        .query("select payload from outbox_event where record_key = ? order by id", Long.toString(id))
                        .stream()
                        .map(r -> r.get("payload").toString())
                        .toList();
        assertEquals(2, payloads.size());
        JsonNode settledNormalized =
                new ObjectMapper().readTree(payloads.get(1)).get("normalized");
        assertEquals("settled", settledNormalized.get("state").asText());
        assertEquals("void", settledNormalized.get("current_state").asText());
        assertFalse(settledNormalized.get("current_state_changed").asBoolean());
    }

    private void awaitABlockedInsert() {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> rows.count("select count(*) from pg_locks where not granted") > 0);
    }

    private List<IngestResult> commit(List<StoreRequest<?>> requests) throws Exception {
        try (Connection connection = transaction()) {
            List<IngestResult> results = batch.store(connection, requests).results();
            connection.commit();
            return results;
        }
    }

    private Connection transaction() throws Exception {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        return connection;
    }

    private StoreRequest<?> request(ObjectNode body) {
        WebhookKind kind =
                WebhookKind.fromWireName(body.get("webhook_type").asText()).orElseThrow();
        for (WebhookIngestor<?> ingestor : ingestors) {
            if (ingestor.kind() == kind) {
                return prepare(ingestor, body);
            }
        }
        throw new IllegalArgumentException(kind.name());
    }

    private <T> StoreRequest<T> prepare(WebhookIngestor<T> ingestor, ObjectNode body) {
        ReceivedWebhook received = ReceivedWebhook.now(body);
        T webhook = ingestor.validate(body, new JsonFields(body, ZoneOffset.UTC));
        return ingestor.prepare(webhook, received, CanonicalBody.of(body, fingerprints));
    }
}
