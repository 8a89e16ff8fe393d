package brocard.webhooks.outbox;

import brocard.webhooks.config.OutboxConfig;
import brocard.webhooks.db.Jdbc;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Periodic outbox upkeep on every replica (each statement is idempotent, so running it on several is harmless):
 * deletes published rows and resolved dead letters past retention, and refreshes the backlog gauges that on-call alerts read (a Kafka outage
 * shows here first).
 */
@ApplicationScoped
public class OutboxHousekeeping {

    private static final String DELETE_PUBLISHED =
            "delete from outbox_event where published_at is not null and published_at < ?";
    private static final String DELETE_RESOLVED_DEAD_LETTERS =
            "delete from outbox_dead_letter where resolved_at is not null and resolved_at < ?";
    private static final String BACKLOG =
            """
            select count(*),
                   coalesce(extract(epoch from now() - min(created_at) filter (where next_attempt_at <> 'infinity')), 0)
            from outbox_event where published_at is null""";

    private final Jdbc jdbc;
    private final OutboxConfig outboxConfig;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestPendingSeconds = new AtomicLong();
    private final AtomicLong openDeadLetters = new AtomicLong();
    private final DeadLetters deadLetters;

    public OutboxHousekeeping(Jdbc jdbc, OutboxConfig outboxConfig, DeadLetters deadLetters, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.deadLetters = deadLetters;
        this.outboxConfig = outboxConfig;
        Gauge.builder(OutboxMetricNames.PENDING, pending, AtomicLong::get)
                .description("Events stored but not yet acknowledged by Kafka")
                .register(registry);
        Gauge.builder(OutboxMetricNames.OLDEST_PENDING_AGE_SECONDS, oldestPendingSeconds, AtomicLong::get)
                .description("Age of the oldest event not yet acknowledged by Kafka (parked ones aside)")
                .register(registry);
        Gauge.builder(OutboxMetricNames.DEAD_LETTERS, openDeadLetters, AtomicLong::get)
                .description("Outbox events parked after permanent failures, not yet retried or skipped")
                .register(registry);
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    public void deletePublishedPastRetention() {
        Instant cutoff = Instant.now().minus(outboxConfig.retention());
        jdbc.update(DELETE_PUBLISHED, cutoff);
        jdbc.update(DELETE_RESOLVED_DEAD_LETTERS, cutoff); // open ones stay until an operator resolves them
    }

    @Scheduled(every = "${brocard.outbox.gauge-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    public void refreshBacklogGauges() {
        jdbc.query(BACKLOG, row -> {
            pending.set(row.getLong(1));
            oldestPendingSeconds.set((long) row.getDouble(2));
            return null;
        });
        openDeadLetters.set(deadLetters.openCount());
    }
}
