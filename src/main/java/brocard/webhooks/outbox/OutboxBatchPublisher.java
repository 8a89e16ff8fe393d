package brocard.webhooks.outbox;

import brocard.webhooks.config.OutboxConfig;
import brocard.webhooks.config.TopicsConfig;
import brocard.webhooks.db.Jdbc;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.InvalidTransactionException;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Publishes one batch of outbox rows in one transaction: claim, send, wait for Kafka's acknowledgements (acks=all,
 * idempotent producer), mark. Rows stay locked until marked, so another replica skips them instead of sending them
 * again; a crash before the mark means the batch is sent again (consumers dedup on the event id).
 */
@ApplicationScoped
public class OutboxBatchPublisher implements OutboxBatches {

    /** Kafka producer of payments and refunds (batched: linger, compression). */
    public static final String CHANNEL = "brocard-events";
    /** Kafka producer of 3-D Secure codes (no linger: a person is waiting for each one). */
    public static final String OTP_CHANNEL = "brocard-otp-events";

    /**
     * Locks the head row of each key (its oldest unpublished row) among the due rows no other thread or replica holds.
     * A key whose head is held elsewhere, waits for a retry or is parked contributes nothing, and costs one index probe:
     * a blocked key holds back only itself, never the batch. The next row of a key becomes its head only once the
     * previous one is marked published and committed, so the key's order holds across threads, replicas and retries.
     * Rows waiting for a retry (and the later rows of their keys) lie beyond now() in the claim index.
     */
    private static final String CLAIM_HEADS =
            """
            select o.id, o.event_id, o.topic, o.record_key, o.event_type, o.subject, o.event_time, o.payload,
                   o.created_at, o.attempts, o.permanent_failures, o.origin
            from outbox_event o
            where o.published_at is null and o.next_attempt_at <= now() and o.topic %s ?
              and not exists (select 1 from outbox_event earlier
                              where earlier.topic = o.topic and earlier.record_key = o.record_key
                                and earlier.published_at is null and earlier.id < o.id)
            order by o.next_attempt_at, o.id
            limit ?
            for update of o skip locked""";
    /**
     * The rows this replica's writer just committed and handed over ({@link OutboxPublisher#eventsCommitted}): the
     * same rule as {@link #CLAIM_HEADS} (heads only, due, not held elsewhere), found by primary key instead of by
     * walking the claim index, whose front is full of rows published moments ago (their index entries stay until
     * vacuum). A handed row that is not its key's head here (an earlier row of its key is in the same hand-off, waits
     * for a retry, or is being published elsewhere) is left to {@link #CLAIM_LATER} or to the poll.
     */
    private static final String CLAIM_HANDED_OFF =
            """
            select o.id, o.event_id, o.topic, o.record_key, o.event_type, o.subject, o.event_time, o.payload,
                   o.created_at, o.attempts, o.permanent_failures, o.origin
            from outbox_event o
            where o.id = any(?::bigint[]) and o.published_at is null and o.next_attempt_at <= now()
              and not exists (select 1 from outbox_event earlier
                              where earlier.topic = o.topic and earlier.record_key = o.record_key
                                and earlier.published_at is null and earlier.id < o.id)
            order by o.id
            for update of o skip locked""";
    /**
     * Then the later rows of the claimed heads' keys, in id order, to fill the batch: a key with many queued events (a
     * backlog, one busy cardholder) goes at batch speed, not one event per round trip. Nobody else can hold them: a
     * later row is never claimable while its head is unpublished, and the head is locked by this transaction.
     */
    private static final String CLAIM_LATER =
            """
            select o.id, o.event_id, o.topic, o.record_key, o.event_type, o.subject, o.event_time, o.payload,
                   o.created_at, o.attempts, o.permanent_failures, o.origin
            from outbox_event o
            join unnest(?::text[], ?::text[], ?::bigint[]) as head(topic, record_key, id)
              on o.topic = head.topic and o.record_key = head.record_key and o.id > head.id
            where o.published_at is null
            order by o.id
            limit ?
            for update of o""";

    private static final String MARK_PUBLISHED =
            "update outbox_event set published_at = clock_timestamp(), attempts = attempts + 1, last_error = null "
                    + "where id = any(?)";

    private final Jdbc jdbc;
    private final Map<PublishLane, MutinyEmitter<String>> emitters = new EnumMap<>(PublishLane.class);
    private final Map<PublishLane, String> claims = new EnumMap<>(PublishLane.class);
    private final TopicsConfig topics;
    private final OutboxConfig config;
    private final TopicAvailability availability;
    private final OutboxFailures failures;
    private final MeterRegistry registry;
    private final TransactionManager transactions;
    private final Map<String, Timer> lagByTopic = new ConcurrentHashMap<>();

    public OutboxBatchPublisher(
            Jdbc jdbc,
            @Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
                    MutinyEmitter<String> events,
            @Channel(OTP_CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                    MutinyEmitter<String> otp,
            TopicsConfig topics,
            OutboxConfig config,
            TopicAvailability availability,
            OutboxFailures failures,
            MeterRegistry registry,
            TransactionManager transactions) {
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.topics = topics;
        this.availability = availability;
        this.failures = failures;
        emitters.put(PublishLane.EVENTS, events);
        emitters.put(PublishLane.OTP, otp);
        for (PublishLane lane : PublishLane.values()) {
            claims.put(lane, CLAIM_HEADS.formatted(lane.topicComparison()));
        }
        this.config = config;
        this.registry = registry;
    }

    /**
     * Polls: claims the lane's due heads wherever they came from (other replicas, retries, a restart, hand-offs that
     * were dropped) and publishes them.
     *
     * @return how many rows were claimed (published or not); 0 means there is nothing to do now
     */
    @Override
    @Transactional
    public int publishNextBatch(PublishLane lane) {
        List<OutboxRow> heads =
                jdbc.query(claims.get(lane), OutboxBatchPublisher::row, topics.otp(), config.batchSize());
        List<OutboxRow> rows = withLaterRows(heads);
        claimed(OutboxMetricNames.CLAIM_POLL, rows.size());
        return publish(lane, rows);
    }

    /**
     * Publishes rows this replica's writer committed, by id, without polling for them.
     *
     * @param ids at most the batch size
     * @return how many of these ids were claimed (fewer when some were not their key's head, were taken by a poll
     * meanwhile, or are already published), and which later rows of their keys were claimed with them
     */
    @Override
    @Transactional
    public HandOff publishHandedOff(PublishLane lane, List<Long> ids) {
        List<OutboxRow> heads =
                jdbc.query(CLAIM_HANDED_OFF, OutboxBatchPublisher::row, (Object) ids.toArray(new Long[0]));
        // Every handed row a head: no later row of theirs can be committed and unclaimed but one handed off after
        // these, which its own hand-off publishes. Otherwise fill in the later rows of the claimed keys.
        List<OutboxRow> rows = heads.size() == ids.size() ? heads : withLaterRows(heads);
        claimed(OutboxMetricNames.CLAIM_HAND_OFF, rows.size());
        Set<Long> handed = new HashSet<>(ids);
        int claimedHanded = 0;
        List<Long> ahead = new ArrayList<>();
        for (OutboxRow row : rows) {
            if (handed.contains(row.id())) {
                claimedHanded++;
            } else {
                ahead.add(row.id());
            }
        }
        publish(lane, rows);
        return new HandOff(claimedHanded, ahead);
    }

    private void claimed(String source, int rows) {
        if (rows > 0) {
            registry.counter(OutboxMetricNames.CLAIMED, "source", source).increment(rows);
        }
    }

    /** The claim counters exist from startup, so a dashboard shows the poll's share as 0 rather than no data. */
    void registerClaimCounters(@Observes StartupEvent event) {
        registry.counter(OutboxMetricNames.CLAIMED, "source", OutboxMetricNames.CLAIM_HAND_OFF);
        registry.counter(OutboxMetricNames.CLAIMED, "source", OutboxMetricNames.CLAIM_POLL);
    }

    private int publish(PublishLane lane, List<OutboxRow> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        // A lost mark means a re-publication (consumers dedup on the event id); not waiting for the flush keeps
        // the next batch, and the OTP behind it, from queueing behind a disk write.
        jdbc.commitWithoutWaitingForFlush();
        // Sent in rounds: the first row of every key, then, once Kafka acknowledged it, the key's second row, and so
        // on. A row that was not sent or not acknowledged stops its key for this batch: a later event never reaches
        // Kafka before an earlier one, not even once (a poison row's followers wait for it, unsent).
        // Not for 3DS codes: each code stands alone (a re-issue is told apart by receive time, not by Kafka order),
        // and a person is waiting at a checkout page. One round trip per code of a busy cardholder would cap the lane
        // at one code per Kafka acknowledgement, and a poison code would hold back that cardholder's next codes. So
        // the OTP lane sends everything it claimed at once; Kafka's idempotent producer still keeps the order of a
        // key's codes unless one fails for good.
        Map<String, List<OutboxRow>> byKey = new LinkedHashMap<>();
        for (OutboxRow row : rows) {
            byKey.computeIfAbsent(groupOf(lane, row), k -> new ArrayList<>()).add(row);
        }
        Set<String> stopped = new HashSet<>();
        List<Long> published = new ArrayList<>(rows.size());
        long deadline = System.nanoTime() + config.sendTimeout().toNanos();
        for (int round = 0; System.nanoTime() - deadline < 0; round++) {
            List<OutboxRow> sendable = new ArrayList<>();
            for (Map.Entry<String, List<OutboxRow>> key : byKey.entrySet()) {
                if (round >= key.getValue().size() || stopped.contains(key.getKey())) {
                    continue;
                }
                OutboxRow row = key.getValue().get(round);
                switch (availability.of(lane, row.topic(), row.key())) {
                    case AVAILABLE -> sendable.add(row);
                    case UNAVAILABLE -> stop(stopped, groupOf(lane, row), row, failures::unavailable);
                    case UNKNOWN -> stop(stopped, groupOf(lane, row), row, failures::notYet);
                }
            }
            if (sendable.isEmpty()) {
                break;
            }
            List<Throwable> errors = sendOutsideTransaction(emitters.get(lane), sendable, deadline);
            for (int i = 0; i < sendable.size(); i++) {
                OutboxRow row = sendable.get(i);
                Throwable error = errors.get(i);
                if (error == null) {
                    published.add(row.id());
                    registry.counter(OutboxMetricNames.PUBLISHED, "topic", row.topic(), "outcome", "published")
                            .increment();
                    lag(row.topic()).record(Duration.between(row.createdAt(), Instant.now()));
                } else {
                    stop(stopped, groupOf(lane, row), row, failed -> failures.failed(failed, error));
                }
            }
        }
        // Rows of rounds the deadline cut off stay unpublished and due: the next batch takes them.
        if (!published.isEmpty()) {
            jdbc.update(MARK_PUBLISHED, (Object) published.toArray(new Long[0])); // one round trip per batch
        }
        return rows.size();
    }

    /** The claimed heads, then the later rows of their keys up to the batch size; in id order. */
    private List<OutboxRow> withLaterRows(List<OutboxRow> heads) {
        int room = config.batchSize() - heads.size();
        if (heads.isEmpty() || room <= 0) {
            return heads;
        }
        List<OutboxRow> later = jdbc.query(
                CLAIM_LATER,
                OutboxBatchPublisher::row,
                heads.stream().map(OutboxRow::topic).toArray(String[]::new),
                heads.stream().map(OutboxRow::key).toArray(String[]::new),
                heads.stream().map(OutboxRow::id).toArray(Long[]::new),
                room);
        if (later.isEmpty()) {
            return heads;
        }
        List<OutboxRow> rows = new ArrayList<>(heads.size() + later.size());
        rows.addAll(heads);
        rows.addAll(later);
        rows.sort(Comparator.comparingLong(OutboxRow::id));
        return rows;
    }

    private static OutboxRow row(ResultSet r) throws SQLException {
        return new OutboxRow(
                r.getLong(1),
                r.getObject(2, UUID.class),
                r.getString(3),
                r.getString(4),
                r.getString(5),
                r.getString(6),
                r.getObject(7, OffsetDateTime.class).toInstant(),
                r.getString(8),
                r.getObject(9, OffsetDateTime.class).toInstant(),
                r.getInt(10),
                r.getInt(11),
                r.getString(12));
    }

    /** Records what happened to the row of its key that did not go; the key's later rows wait behind it, unsent. */
    private static void stop(Set<String> stopped, String group, OutboxRow row, Consumer<OutboxRow> outcome) {
        if (stopped.add(group)) {
            outcome.accept(row);
        }
    }

    /** Rows sent one after the other, each once the previous one is acknowledged: a key, or one 3DS code alone. */
    private static String groupOf(PublishLane lane, OutboxRow row) {
        return lane == PublishLane.OTP ? "row/" + row.id() : keyOf(row);
    }

    private static String keyOf(OutboxRow row) {
        return row.topic() + '\0' + row.key();
    }

    /**
     * Sends the rows and waits for Kafka's acknowledgements with the transaction suspended. Messaging propagates the
     * caller's context to its own threads; a JTA transaction carried there would make the commit fail ("committing
     * with 2 threads active") after the records were sent, and they would be sent again. Suspended, the transaction
     * keeps its connection and so its row locks, and is resumed to mark the rows.
     */
    private List<Throwable> sendOutsideTransaction(MutinyEmitter<String> emitter, List<OutboxRow> rows, long deadline) {
        Transaction transaction;
        try {
            transaction = transactions.suspend();
        } catch (SystemException e) {
            throw new IllegalStateException("Could not suspend the outbox transaction", e);
        }
        try {
            List<CompletableFuture<Void>> acks = new ArrayList<>(rows.size());
            for (OutboxRow row : rows) {
                acks.add(emitter.sendMessage(toMessage(row)).subscribeAsCompletionStage());
            }
            List<Throwable> errors = new ArrayList<>(rows.size());
            for (CompletableFuture<Void> ack : acks) {
                errors.add(await(ack, deadline));
            }
            return errors;
        } finally {
            try {
                transactions.resume(transaction);
            } catch (InvalidTransactionException | SystemException e) {
                throw new IllegalStateException("Could not resume the outbox transaction", e);
            }
        }
    }

    /**
     * @return null once acknowledged, else why not. Waits until the deadline; an interrupt does not cut the wait
     * short (shutdown lets in-flight batches finish, see {@link OutboxPublisher}), it is kept for the caller.
     */
    private static Throwable await(CompletableFuture<Void> ack, long deadlineNanos) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    ack.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return null;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return e.getCause();
                } catch (TimeoutException e) {
                    return e;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Timer lag(String topic) {
        return lagByTopic.computeIfAbsent(topic, t -> Timer.builder(OutboxMetricNames.LAG)
                .tag("topic", t)
                .publishPercentileHistogram()
                .register(registry));
    }

    private Message<String> toMessage(OutboxRow row) {
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
