package brocard.webhooks.outbox;

import brocard.webhooks.config.OutboxConfig;
import brocard.webhooks.config.TopicsConfig;
import brocard.webhooks.db.Jdbc;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.InvalidTransactionException;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes one batch of outbox rows in one transaction: claim, send, wait for Kafka's acknowledgements (acks=all,
 * idempotent producer), mark. Rows stay locked until marked, so another replica skips them instead of sending them
 * again; a crash before the mark means the batch is sent again (consumers dedup on the event id).
 */
@ApplicationScoped
public class OutboxBatchPublisher {

    /** Kafka producer of payments and refunds (batched: linger, compression). */
    public static final String CHANNEL = "brocard-events";
    /** Kafka producer of 3-D Secure codes (no linger: a person is waiting for each one). */
    public static final String OTP_CHANNEL = "brocard-otp-events";

    /**
     * Locks the oldest due rows no other replica holds, then keeps those whose key has no earlier unpublished row
     * outside the batch (held by another replica, or waiting for a retry). A key's events thus reach Kafka in order,
     * several per batch, even with several replicas publishing. Rows locked but not kept wait for the next batch.
     */
    private static final String CLAIM = """
            with claimed as (
                select id from outbox_event
                where published_at is null and next_attempt_at <= now() and topic %s ?
                order by id
                limit ?
                for update skip locked)
            select o.id, o.event_id, o.topic, o.record_key, o.event_type, o.subject, o.event_time, o.payload,
                   o.created_at, o.attempts, o.origin
            from outbox_event o join claimed c on c.id = o.id
            where not exists (select 1 from outbox_event earlier
                              where earlier.topic = o.topic and earlier.record_key = o.record_key
                                and earlier.published_at is null and earlier.id < o.id
                                and earlier.id not in (select id from claimed))
            order by o.id""";
    private static final String MARK_PUBLISHED =
            "update outbox_event set published_at = clock_timestamp(), attempts = attempts + 1, last_error = null "
                    + "where id = any(?)";
    private static final String MARK_FAILED = """
            update outbox_event set attempts = attempts + 1, last_error = ?,
                next_attempt_at = now() + make_interval(secs => ?)
            where id = ?""";
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private record Row(long id, UUID eventId, String topic, String key, String type, String subject, Instant time,
                       String payload, Instant createdAt, int attempts, String origin) {
    }

    private final Jdbc jdbc;
    private final Map<PublishLane, MutinyEmitter<String>> emitters = new EnumMap<>(PublishLane.class);
    private final Map<PublishLane, String> claims = new EnumMap<>(PublishLane.class);
    private final TopicsConfig topics;
    private final OutboxConfig config;
    private final MeterRegistry registry;
    private final TransactionManager transactions;
    private final Map<String, Timer> lagByTopic = new ConcurrentHashMap<>();

    public OutboxBatchPublisher(Jdbc jdbc, @Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER,
            bufferSize = 16384) MutinyEmitter<String> events, @Channel(OTP_CHANNEL) @OnOverflow(
            value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) MutinyEmitter<String> otp, TopicsConfig topics,
                                OutboxConfig config, MeterRegistry registry, TransactionManager transactions) {
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.topics = topics;
        emitters.put(PublishLane.EVENTS, events);
        emitters.put(PublishLane.OTP, otp);
        for (PublishLane lane : PublishLane.values()) {
            claims.put(lane, CLAIM.formatted(lane.topicComparison()));
        }
        this.config = config;
        this.registry = registry;
    }

    /** @return how many rows were claimed (published or not); 0 means there is nothing to do now */
    @Transactional
    public int publishNextBatch(PublishLane lane) {
        List<Row> rows = jdbc.query(claims.get(lane), r -> new Row(r.getLong(1), r.getObject(2, UUID.class), r.getString(3),
                r.getString(4), r.getString(5), r.getString(6), r.getObject(7, java.time.OffsetDateTime.class)
                .toInstant(), r.getString(8), r.getObject(9, java.time.OffsetDateTime.class).toInstant(),
                r.getInt(10), r.getString(11)), topics.otp(), config.batchSize());
        if (rows.isEmpty()) {
            return 0;
        }
        // A lost mark means a re-publication (consumers dedup on the event id); not waiting for the flush keeps
        // the next batch, and the OTP behind it, from queueing behind a disk write.
        jdbc.commitWithoutWaitingForFlush();
        List<Outcome> outcomes = sendOutsideTransaction(emitters.get(lane), rows);
        List<Long> published = new ArrayList<>(rows.size());
        Set<String> failedKeys = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            Throwable error = outcomes.get(i).error();
            // After a key's row failed, its later rows are retried too (after it), even if Kafka took them: a
            // consumer may see one twice, but never only the later event.
            if (error == null && failedKeys.contains(row.topic() + '/' + row.key())) {
                error = new OutOfOrderRetry();
            }
            if (error != null) {
                failedKeys.add(row.topic() + '/' + row.key());
            }
            if (error == null) {
                published.add(row.id());
                registry.counter("brocard.outbox.published", "topic", row.topic(), "outcome", "published").increment();
                lag(row.topic()).record(Duration.between(row.createdAt(), Instant.now()));
            } else {
                markFailed(row, error);
            }
        }
        if (!published.isEmpty()) {
            jdbc.update(MARK_PUBLISHED, (Object) published.toArray(new Long[0])); // one round trip per batch
        }
        return rows.size();
    }

    private record Outcome(Throwable error) {
    }

    /** A row sent after an earlier row of its key failed: retried after that one to keep the key's order. */
    private static final class OutOfOrderRetry extends RuntimeException {
        OutOfOrderRetry() {
            super("an earlier event of the same key failed", null, false, false);
        }
    }

    /**
     * Sends the rows and waits for Kafka's acknowledgements with the transaction suspended. Messaging propagates the
     * caller's context to its own threads; a JTA transaction carried there would make the commit fail ("committing
     * with 2 threads active") after the records were sent, and they would be sent again. Suspended, the transaction
     * keeps its connection and so its row locks, and is resumed to mark the rows.
     */
    private List<Outcome> sendOutsideTransaction(MutinyEmitter<String> emitter, List<Row> rows) {
        Transaction transaction;
        try {
            transaction = transactions.suspend();
        } catch (SystemException e) {
            throw new IllegalStateException("Could not suspend the outbox transaction", e);
        }
        try {
            List<CompletableFuture<Void>> acks = new ArrayList<>(rows.size());
            for (Row row : rows) {
                acks.add(emitter.sendMessage(toMessage(row)).subscribeAsCompletionStage());
            }
            long deadline = System.nanoTime() + config.sendTimeout().toNanos();
            List<Outcome> outcomes = new ArrayList<>(rows.size());
            for (CompletableFuture<Void> ack : acks) {
                outcomes.add(await(ack, deadline));
            }
            return outcomes;
        } finally {
            try {
                transactions.resume(transaction);
            } catch (InvalidTransactionException | SystemException e) {
                throw new IllegalStateException("Could not resume the outbox transaction", e);
            }
        }
    }

    private static Outcome await(CompletableFuture<Void> ack, long deadlineNanos) {
        try {
            ack.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return new Outcome(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(e);
        } catch (ExecutionException e) {
            return new Outcome(e.getCause());
        } catch (TimeoutException e) {
            return new Outcome(e);
        }
    }

    private void markFailed(Row row, Throwable error) {
        long backoffMillis = Math.min(MAX_BACKOFF.toMillis(), config.retryBackoff().toMillis() << Math.min(row.attempts(), 5));
        // The class only: a Kafka error message may quote the record.
        jdbc.update(MARK_FAILED, error.getClass().getName(), backoffMillis / 1000.0, row.id());
        registry.counter("brocard.outbox.published", "topic", row.topic(), "outcome", "failed").increment();
    }

    private Timer lag(String topic) {
        return lagByTopic.computeIfAbsent(topic, t -> Timer.builder("brocard.outbox.lag").tag("topic", t)
                .publishPercentileHistogram().register(registry));
    }

    private Message<String> toMessage(Row row) {
        return Message.of(row.payload())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(row.topic())
                        .withKey(row.key())
                        .build())
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(row.eventId().toString())
                        .withSource(config.eventSource())
                        .withType(row.type())
                        .withSubject(row.subject())
                        .withTimestamp(row.time().atZone(ZoneOffset.UTC))
                        .withDataContentType("application/json")
                        .withExtension(EventOrigin.CLOUD_EVENT_EXTENSION, row.origin())
                        .build());
    }
}
