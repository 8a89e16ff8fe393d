package brocard.webhooks.reconcile;

import brocard.webhooks.audit.AuditLog;
import brocard.webhooks.brocardapi.BrocardApiClient;
import brocard.webhooks.brocardapi.BrocardApiException;
import brocard.webhooks.concurrency.NamedThreads;
import brocard.webhooks.config.ReconcileConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts reconciliation runs, and is the one place where they start: the scheduled sweep ({@link #sweep}) and an
 * operator's request ({@link #request}, called by the admin API). Every run holds the {@link SweepLock} while it
 * talks to Brocard, so one runs at a time across replicas: a sweep that finds the lock taken is skipped (the
 * holder is doing the work), an operator's run waits for it.
 */
@ApplicationScoped
public class Reconciliations {

    private static final Logger LOG = Logger.getLogger(Reconciliations.class);

    /** What a sweep did on this replica. */
    public enum SweepOutcome {
        SUCCEEDED,
        FAILED,
        SKIPPED_LOCKED,
        SKIPPED_NOT_CONFIGURED
    }

    private final BrocardApiClient api;
    private final Reconciler reconciler;
    private final RunStore runs;
    private final SweepLock lock;
    private final ReconcileMetrics metrics;
    private final ReconcileConfig config;
    private final ZoneId providerZone;
    private final AuditLog audit;
    /** Operator runs of this replica, one after the other (they would wait for the lock anyway). */
    private final ExecutorService operatorRuns =
            Executors.newSingleThreadExecutor(NamedThreads.named("reconcile-operator"));

    public Reconciliations(
            BrocardApiClient api,
            Reconciler reconciler,
            RunStore runs,
            SweepLock lock,
            ReconcileMetrics metrics,
            ReconcileConfig config,
            @ConfigProperty(name = "brocard.provider-timezone", defaultValue = "UTC") ZoneId zone,
            AuditLog audit) {
        this.api = api;
        this.reconciler = reconciler;
        this.runs = runs;
        this.lock = lock;
        this.metrics = metrics;
        this.config = config;
        this.providerZone = zone;
        this.audit = audit;
    }

    public boolean isEnabled() {
        return api.isConfigured();
    }

    /**
     * An operator's run over a window: recorded at once as {@code running}, run in the background.
     *
     * @param operator the operator token's name, for the audit log
     * @return the run's id
     * @throws NotConfiguredException without an API key
     */
    public long request(ReconcileWindow window, List<RunKind> kinds, String operator) {
        requireConfigured();
        // The run and its audit row commit together, before the run starts on another thread and updates its row.
        long id = QuarkusTransaction.requiringNew().call(() -> {
            long created = runs.create(RunTrigger.OPERATOR, window, kinds);
            audit.record(
                    operator,
                    "reconciliation.request",
                    "reconciliation/" + created,
                    Map.of(
                            "from",
                            window.begin(),
                            "to",
                            window.end(),
                            "kinds",
                            kinds.stream().map(RunKind::wireName).toList()));
            return created;
        });
        LOG.infof("Reconciliation %d requested by an operator: %s to %s, %s", id, window.begin(), window.end(), kinds);
        operatorRuns.execute(() -> {
            try (SweepLock.Held held = lock.acquire()) {
                execute(id, RunTrigger.OPERATOR, window, kinds);
            } catch (RuntimeException e) {
                // The lock could not be taken (database down): the run never began.
                runs.finish(
                        id, new RunCounts(), "Could not begin: " + e.getClass().getSimpleName());
                metrics.run(RunTrigger.OPERATOR, ReconciliationRun.FAILED);
            }
        });
        return id;
    }

    /** The scheduled sweep over the last {@code lookback}; on this thread, skipped if another run holds the lock. */
    public SweepOutcome sweep() {
        if (!isEnabled()) {
            return SweepOutcome.SKIPPED_NOT_CONFIGURED;
        }
        runs.lastSuccessfulSweep().ifPresent(metrics::lastSuccessfulSweep);
        Optional<SweepLock.Held> held = lock.tryAcquire();
        if (held.isEmpty()) {
            metrics.run(RunTrigger.SCHEDULED, "skipped");
            LOG.debug("Reconciliation sweep skipped: another run holds the lock");
            return SweepOutcome.SKIPPED_LOCKED;
        }
        try (SweepLock.Held ignored = held.get()) {
            LocalDateTime now = LocalDateTime.now(providerZone).truncatedTo(ChronoUnit.SECONDS);
            ReconcileWindow window = new ReconcileWindow(now.minus(config.lookback()), now);
            List<RunKind> kinds = List.of(RunKind.values());
            long id = runs.create(RunTrigger.SCHEDULED, window, kinds);
            boolean succeeded = execute(id, RunTrigger.SCHEDULED, window, kinds);
            if (succeeded) {
                runs.lastSuccessfulSweep().ifPresent(metrics::lastSuccessfulSweep);
            }
            return succeeded ? SweepOutcome.SUCCEEDED : SweepOutcome.FAILED;
        }
    }

    /** Runs under the lock; a failure ends the run as {@code failed} with its reason, never escapes. */
    private boolean execute(long id, RunTrigger trigger, ReconcileWindow window, List<RunKind> kinds) {
        runs.claim(id);
        RunCounts counts = new RunCounts();
        String error = null;
        try {
            reconciler.run(id, window, kinds, counts);
        } catch (BrocardApiException | ReconcileException e) {
            error = e.getMessage(); // our own words: status, classes, Brocard's request id; never the key
        } catch (RuntimeException e) {
            error = "Unexpected failure: " + e.getClass().getName();
            LOG.errorf(
                    "Reconciliation %d failed unexpectedly: %s",
                    id, e.getClass().getName());
        }
        runs.finish(id, counts, error);
        metrics.run(trigger, error == null ? ReconciliationRun.SUCCEEDED : ReconciliationRun.FAILED);
        if (error == null) {
            LOG.infof(
                    "Reconciliation %d (%s) succeeded: %d scanned, %d recovered, %d already known, %d conflicts, "
                            + "%d invalid",
                    id,
                    trigger.wireName(),
                    counts.scanned,
                    counts.recovered,
                    counts.alreadyKnown,
                    counts.conflicts,
                    counts.invalid);
        } else {
            LOG.warnf(
                    "Reconciliation %d (%s) failed after %d scanned and %d recovered: %s",
                    id, trigger.wireName(), counts.scanned, counts.recovered, error);
        }
        return error == null;
    }

    private void requireConfigured() {
        if (!isEnabled()) {
            throw new NotConfiguredException();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        operatorRuns.shutdownNow();
    }

    /** Reconciliation needs Brocard's API key, and none is configured. */
    public static class NotConfiguredException extends RuntimeException {
        NotConfiguredException() {
            super("Reconciliation is off: no Brocard API key is configured (set BROCARD_API_KEY and "
                    + "BROCARD_API_BASE_URL)");
        }
    }
}
