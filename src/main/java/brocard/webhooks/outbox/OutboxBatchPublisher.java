package brocard.webhooks.outbox;

import brocard.webhooks.config.OutboxConfig;
import brocard.webhooks.db.Jdbc;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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

    public static final String CHANNEL = "brocard-events";

    /**
     * Only the oldest unpublished row of each (topic, key) is eligible, so a key's events reach Kafka in order even
     * when several replicas publish at once, or when an earlier row of the key is failing and waits for a retry.
     */
    private static final String CLAIM = """
            select o.id, o.event_id, o.topic, o.record_key, o.event_type, o.subject, o.event_time, o.payload::text,
                   o.created_at, o.attempts
            from outbox_event o
            where o.published_at is null and o.next_attempt_at <= now()
              and not exists (select 1 from outbox_event earlier
                              where earlier.topic = o.topic and earlier.record_key = o.record_key
                                and earlier.published_at is null and earlier.id < o.id)
            order by o.id
            limit ?
            for update of o skip locked""";
    private static final String MARK_PUBLISHED =
            "update outbox_event set published_at = now(), attempts = attempts + 1, last_error = null where id = ?";
    private static final String MARK_FAILED = """
            update outbox_event set attempts = attempts + 1, last_error = ?,
                next_attempt_at = now() + make_interval(secs => ?)
            where id = ?""";
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private record Row(long id, UUID eventId, String topic, String key, String type, String subject, Instant time,
                       String payload, Instant createdAt, int attempts) {
    }

    private final Jdbc jdbc;
    private final MutinyEmitter<String> emitter;
    private final OutboxConfig config;
    private final MeterRegistry registry;

    public OutboxBatchPublisher(Jdbc jdbc, @Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER,
            bufferSize = 4096) MutinyEmitter<String> emitter, OutboxConfig config, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.emitter = emitter;
        this.config = config;
        this.registry = registry;
    }

    /** @return how many rows were claimed (published or not); 0 means there is nothing to do now */
    @Transactional
    public int publishNextBatch() {
        List<Row> rows = jdbc.query(CLAIM, r -> new Row(r.getLong(1), r.getObject(2, UUID.class), r.getString(3),
                r.getString(4), r.getString(5), r.getString(6), r.getObject(7, java.time.OffsetDateTime.class)
                .toInstant(), r.getString(8), r.getObject(9, java.time.OffsetDateTime.class).toInstant(),
                r.getInt(10)), config.batchSize());
        List<CompletableFuture<Void>> acks = new ArrayList<>(rows.size());
        for (Row row : rows) {
            acks.add(emitter.sendMessage(toMessage(row)).subscribeAsCompletionStage());
        }
        long deadline = System.nanoTime() + config.sendTimeout().toNanos();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            try {
                acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                jdbc.update(MARK_PUBLISHED, row.id());
                registry.counter("brocard.outbox.published", "topic", row.topic(), "outcome", "published").increment();
                Timer.builder("brocard.outbox.lag").tag("topic", row.topic()).publishPercentileHistogram()
                        .register(registry).record(Duration.between(row.createdAt(), Instant.now()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                markFailed(row, e);
            } catch (ExecutionException | TimeoutException e) {
                markFailed(row, e instanceof ExecutionException ? e.getCause() : e);
            }
        }
        return rows.size();
    }

    private void markFailed(Row row, Throwable error) {
        long backoffMillis = Math.min(MAX_BACKOFF.toMillis(), config.retryBackoff().toMillis() << Math.min(row.attempts(), 5));
        // The class only: a Kafka error message may quote the record.
        jdbc.update(MARK_FAILED, error.getClass().getName(), backoffMillis / 1000.0, row.id());
        registry.counter("brocard.outbox.published", "topic", row.topic(), "outcome", "failed").increment();
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
                        .build());
    }
}
