package brocard.webhooks.outbox;

import brocard.webhooks.concurrency.Backoff;
import brocard.webhooks.config.OutboxConfig;
import brocard.webhooks.config.TopicsConfig;
import brocard.webhooks.db.Jdbc;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * What happens to an outbox row Kafka did not take: retried later with a growing backoff, or, after
 * {@code brocard.outbox.max-attempts} failures Kafka calls permanent, parked as a dead letter. A parked row stays the
 * head of its key ({@code next_attempt_at = 'infinity'}), so the key's later events wait for an operator instead of
 * overtaking it; every other key goes on.
 */
// At startup, so the parked counters exist (at zero) before the first failure.
@Startup
@ApplicationScoped
public class OutboxFailures {

    private static final Logger LOG = Logger.getLogger(OutboxFailures.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /**
     * Errors that sending the same record again cannot cure. Anything else (Kafka unreachable, timeouts, missing
     * topic, no leader, authorization: a fault of the infrastructure or its configuration, shared by many rows) is
     * transient and never parks a row: parking every row during an outage would only make work for the operator.
     */
    private static final Set<Class<? extends Throwable>> PERMANENT = Set.of(
            RecordTooLargeException.class,
            RecordBatchTooLargeException.class,
            InvalidRecordException.class,
            InvalidTopicException.class,
            SerializationException.class);

    /** A row's last error when it was not sent because its topic or partition was unavailable. */
    static final String UNAVAILABLE = "TopicOrPartitionUnavailable";

    /**
     * The row waits; so do the later rows of its key, which could not go before it anyway: moved out of the due range
     * of the claim index, the claim never walks over them, however many keys are blocked.
     */
    private static final String RETRY_LATER =
            """
            with head as (
                update outbox_event set attempts = attempts + 1, permanent_failures = permanent_failures + ?,
                    last_error = ?, next_attempt_at = now() + make_interval(secs => ?)
                where id = ?
                returning id, topic, record_key, next_attempt_at)
            update outbox_event later set next_attempt_at = head.next_attempt_at
            from head
            where later.topic = head.topic and later.record_key = head.record_key and later.published_at is null
              and later.id > head.id and later.next_attempt_at < head.next_attempt_at""";

    private static final String NOT_YET =
            "update outbox_event set next_attempt_at = now() + make_interval(secs => ?) " + "where id = ?";
    /** Parks the row, and its key's later rows with it (they wait for an operator too, see {@link DeadLetters}). */
    private static final String PARK =
            """
            with parked as (
                update outbox_event set attempts = attempts + 1, permanent_failures = permanent_failures + 1,
                    last_error = ?, next_attempt_at = 'infinity'
                where id = ?
                returning id, event_id, topic, record_key, event_type, attempts, last_error),
            later as (
                update outbox_event later set next_attempt_at = 'infinity'
                from parked
                where later.topic = parked.topic and later.record_key = parked.record_key
                  and later.published_at is null and later.id > parked.id)
            insert into outbox_dead_letter (outbox_id, event_id, topic, record_key, event_type, attempts, last_error,
                                            parked_at)
            select id, event_id, topic, record_key, event_type, attempts, last_error, now() from parked""";

    private final Jdbc jdbc;
    private final OutboxConfig config;
    /** At most 5 doublings (and 30 s): a Kafka outage is retried often enough to drain soon after it ends. */
    private final Backoff backoff;

    private final MeterRegistry registry;

    public OutboxFailures(Jdbc jdbc, OutboxConfig config, TopicsConfig topics, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.config = config;
        this.backoff = new Backoff(
                config.retryBackoff(),
                Collections.min(List.of(MAX_BACKOFF, config.retryBackoff().multipliedBy(32))));
        this.registry = registry;
        // At zero from the start, so the dashboard's increase() sees the first parked event of a topic.
        for (String topic : List.of(topics.payments(), topics.refunds(), topics.otp())) {
            registry.counter(OutboxMetricNames.PARKED, "topic", topic);
        }
    }

    /** The row was sent and Kafka refused it, or did not acknowledge it in time. */
    void failed(OutboxRow row, Throwable error) {
        registry.counter(OutboxMetricNames.PUBLISHED, "topic", row.topic(), "outcome", "failed")
                .increment();
        // The class only: a Kafka error message may quote the record.
        String errorClass = error.getClass().getName();
        if (!isPermanent(error)) {
            jdbc.update(RETRY_LATER, 0, errorClass, backoffSeconds(row.attempts()), row.id());
        } else if (row.permanentFailures() + 1 < config.maxAttempts()) {
            jdbc.update(
                    RETRY_LATER,
                    1,
                    permanentCause(error).getClass().getName(),
                    backoffSeconds(row.attempts()),
                    row.id());
        } else {
            park(row, permanentCause(error).getClass().getName());
        }
    }

    /** The row was not sent: its topic is missing or its partition has no leader. Transient, like an outage. */
    void unavailable(OutboxRow row) {
        registry.counter(OutboxMetricNames.PUBLISHED, "topic", row.topic(), "outcome", "failed")
                .increment();
        jdbc.update(RETRY_LATER, 0, UNAVAILABLE, backoffSeconds(row.attempts()), row.id());
    }

    /** The row was not sent because its topic is still being checked: not an attempt, tried again shortly. */
    void notYet(OutboxRow row) {
        jdbc.update(NOT_YET, config.retryBackoff().toMillis() / 1000.0, row.id());
    }

    private void park(OutboxRow row, String errorClass) {
        jdbc.update(PARK, errorClass, row.id());
        registry.counter(OutboxMetricNames.PARKED, "topic", row.topic()).increment();
        // Ids only, as everywhere: the operator finds the rest with GET /admin/dead-letters.
        LOG.warnf(
                "Outbox event %s (topic %s) parked as a dead letter after %d attempts (%s); later events of its key "
                        + "wait until an operator retries or skips it",
                row.eventId(), row.topic(), row.attempts() + 1, errorClass);
    }

    private double backoffSeconds(int attempts) {
        return backoff.millisBefore(attempts + 1) / 1000.0;
    }

    static boolean isPermanent(Throwable error) {
        return permanentCause(error) != null;
    }

    /** The permanent error in the cause chain, unless a transient one wraps it; null if none. */
    private static Throwable permanentCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RetriableException) {
                return null;
            }
            for (Class<? extends Throwable> permanent : PERMANENT) {
                if (permanent.isInstance(t)) {
                    return t;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
