package brocard.webhooks.outbox;

import brocard.webhooks.support.AsyncWebhooks;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two replicas storing events of one payment at the same time: per key, Kafka sees the events in commit order. The
 * other replica is a second connection to the same database that stores an event the way the writer does
 * ({@link OutboxKeyLocks} then {@link OutboxWriter}) and holds its transaction open while this application stores a
 * webhook of the same payment.
 * <p>
 * Without the key lock this application would not wait: it would commit first and its event would be published
 * first, although the other replica's event has the lower id and is the earlier one of the key; once the other replica
 * commits, its event would follow on Kafka. With the lock it waits, so ids, commits and Kafka agree.
 */
@QuarkusTest
class SameKeyCommitOrderTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OutboxWriter outbox;

    @Inject
    Rows rows;

    @Test
    void aConcurrentTransactionOnTheSameKeyWaitsAndKafkaSeesCommitOrder() throws Exception {
        long payment = Samples.nextId();
        String key = Long.toString(payment);
        EventDraft otherReplicas = new EventDraft(
                UUID.randomUUID(),
                "brocard.payments",
                key,
                "brocard.payment.pending",
                "payment/" + key,
                Instant.now(),
                "{\"replica\":\"other\"}",
                false);

        CompletableFuture<HttpResponse<String>> answer;
        try (Connection otherReplica = dataSource.getConnection()) {
            otherReplica.setAutoCommit(false);
            OutboxKeyLocks.lock(otherReplica, List.of(otherReplicas));
            outbox.enqueue(otherReplica, List.of(otherReplicas));

            answer = AsyncWebhooks.post("", Samples.payment(payment, 1, "SETTLED"));
            await().atMost(Duration.ofSeconds(20)).until(this::aSessionWaitsForAnAdvisoryLock);
            assertFalse(answer.isDone(), "this application's batch waits for the other replica's commit");
            assertEquals(
                    0,
                    rows.count("select count(*) from payment_event where payment_id = ?", payment),
                    "nothing of the waiting batch is visible yet");

            otherReplica.commit();
        }
        HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode(), response.body());

        List<Long> ids = rows
                .query(
                        "select id from outbox_event where topic = 'brocard.payments' and record_key = ? "
                                + "order by id",
                        key)
                .stream()
                .map(r -> ((Number) r.get("id")).longValue())
                .toList();
        assertEquals(2, ids.size(), "one outbox row per event");
        assertEquals(
                otherReplicas.eventId(),
                rows.query("select event_id from outbox_event where id = ?", ids.get(0))
                        .get(0)
                        .get("event_id"),
                "the first to commit has the lower id");
        try (TopicReader payments = new TopicReader("brocard.payments")) {
            List<ConsumerRecord<String, String>> records = payments.exactly(2, key);
            assertEquals(
                    otherReplicas.eventId().toString(),
                    TopicReader.header(records.get(0), "ce_id"),
                    "Kafka sees the key's events in commit order");
            assertEquals("brocard.payment.settled", TopicReader.header(records.get(1), "ce_type"));
        }
    }

    @Test
    void lockKeysDependOnTopicAndKeyOnly() {
        assertEquals(
                OutboxKeyLocks.lockKey("brocard.payments", "42"), OutboxKeyLocks.lockKey("brocard.payments", "42"));
        assertTrue(OutboxKeyLocks.lockKey("brocard.payments", "42") != OutboxKeyLocks.lockKey("brocard.refunds", "42"));
        assertTrue(OutboxKeyLocks.lockKey("a", "bc") != OutboxKeyLocks.lockKey("ab", "c"));
    }

    private boolean aSessionWaitsForAnAdvisoryLock() {
        return rows.count("select count(*) from pg_locks where locktype = 'advisory' and not granted") > 0;
    }
}
