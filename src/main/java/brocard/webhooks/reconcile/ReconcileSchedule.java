package brocard.webhooks.reconcile;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The sweep every {@code brocard.reconcile.interval} on every replica; the lock lets one of them run it at a time.
 * Without an API key (or with the interval {@code off}) there is no sweep and no staleness gauge to alert on.
 */
@ApplicationScoped
public class ReconcileSchedule {

    private static final Logger LOG = Logger.getLogger(ReconcileSchedule.class);

    private final Reconciliations reconciliations;
    private final ReconcileMetrics metrics;
    private final String interval;

    public ReconcileSchedule(
            Reconciliations reconciliations,
            ReconcileMetrics metrics,
            @ConfigProperty(name = "brocard.reconcile.interval", defaultValue = "15m") String interval) {
        this.reconciliations = reconciliations;
        this.metrics = metrics;
        this.interval = interval;
    }

    void start(@Observes StartupEvent event) {
        boolean scheduled = reconciliations.isEnabled() && !isOff(interval);
        if (scheduled) {
            metrics.sweepsScheduled();
            LOG.infof("Reconciliation with Brocard's API: a sweep every %s", interval);
        } else {
            LOG.infof(
                    "Reconciliation sweeps are off (%s)",
                    reconciliations.isEnabled() ? "brocard.reconcile.interval is " + interval : "no BROCARD_API_KEY");
        }
    }

    @Scheduled(
            identity = "brocard-reconcile-sweep",
            every = "${brocard.reconcile.interval:15m}",
            delayed = "${brocard.reconcile.first-delay:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        reconciliations.sweep();
    }

    private static boolean isOff(String interval) {
        return interval.equalsIgnoreCase("off") || interval.equalsIgnoreCase("disabled");
    }
}
