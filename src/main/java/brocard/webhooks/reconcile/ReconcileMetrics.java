package brocard.webhooks.reconcile;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reconciliation's metrics (Prometheus names in docs/operations.md): runs by trigger and outcome, recovered events
 * and conflicts by type, the age of the last successful sweep, and what the time-zone check saw.
 */
// At startup: the gauges exist (0 / NaN) before the first run, so alert rules see them on every replica.
@Startup
@ApplicationScoped
public class ReconcileMetrics {

    // Metric names of this feature, in one place (Prometheus names in docs/operations.md).
    static final String CONFLICTS = "brocard.reconcile.conflicts";
    static final String LAST_SUCCESS_AGE_SECONDS = "brocard.reconcile.last.success.age.seconds";
    static final String PROVIDER_OFFSET_SECONDS = "brocard.reconcile.provider.offset.seconds";
    static final String PROVIDER_TIMEZONE_MISMATCH = "brocard.reconcile.provider.timezone.mismatch";
    static final String RECOVERED = "brocard.reconcile.recovered";
    static final String RUNS = "brocard.reconcile.runs";

    private final MeterRegistry registry;
    private final AtomicReference<Instant> lastSuccess = new AtomicReference<>(Instant.now());
    private volatile double observedOffsetSeconds = Double.NaN;
    private volatile double zoneMismatch = 0;
    private volatile boolean sweepsScheduled;

    public ReconcileMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(PROVIDER_OFFSET_SECONDS, () -> observedOffsetSeconds)
                .description("UTC offset of Brocard's webhook dates, as the last time-zone check inferred it")
                .register(registry);
        Gauge.builder(PROVIDER_TIMEZONE_MISMATCH, () -> zoneMismatch)
                .description("1 when that offset differs from brocard.provider-timezone's, else 0")
                .register(registry);
        // NaN until sweeps are scheduled here: an installation without an API key has the series but never alerts
        // (a comparison with NaN is false).
        Gauge.builder(
                        LAST_SUCCESS_AGE_SECONDS,
                        () -> sweepsScheduled
                                ? Duration.between(lastSuccess.get(), Instant.now())
                                                .toMillis()
                                        / 1000.0
                                : Double.NaN)
                .description("Seconds since a scheduled sweep last succeeded on any replica")
                .register(registry);
        for (RunTrigger trigger : RunTrigger.values()) {
            for (String outcome : List.of(ReconciliationRun.SUCCEEDED, ReconciliationRun.FAILED, "skipped")) {
                registry.counter(RUNS, "trigger", trigger.wireName(), "outcome", outcome);
            }
        }
        for (String type : List.of("payment", "refund")) {
            registry.counter(RECOVERED, "type", type);
            registry.counter(CONFLICTS, "type", type);
        }
    }

    /** From now on the staleness gauge counts; until a sweep succeeds (on any replica), from this replica's start. */
    void sweepsScheduled() {
        sweepsScheduled = true;
    }

    void lastSuccessfulSweep(Instant finishedAt) {
        lastSuccess.accumulateAndGet(finishedAt, (a, b) -> a.isAfter(b) ? a : b);
    }

    void run(RunTrigger trigger, String outcome) {
        registry.counter(RUNS, "trigger", trigger.wireName(), "outcome", outcome)
                .increment();
    }

    void recovered(String type) {
        registry.counter(RECOVERED, "type", type).increment();
    }

    void conflict(String type) {
        registry.counter(CONFLICTS, "type", type).increment();
    }

    void providerOffset(int seconds, boolean matchesConfiguredZone) {
        observedOffsetSeconds = seconds;
        zoneMismatch = matchesConfiguredZone ? 0 : 1;
    }
}
