package brocard.webhooks.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Reconciliation with Brocard's REST API (docs/reconciliation.md). */
@ConfigMapping(prefix = "brocard.reconcile")
public interface ReconcileConfig {

    /**
     * How often a sweep runs (one replica at a time); {@code off} disables the schedule. Read by the
     * {@code @Scheduled} expression {@code ${brocard.reconcile.interval}}, declared here for documentation.
     */
    @WithDefault("15m")
    String interval();

    /** Delay of the first sweep after start; read by the {@code @Scheduled} expression like the interval. */
    @WithDefault("1m")
    String firstDelay();

    /** The sliding window each sweep covers, ending now. */
    @WithDefault("48h")
    Duration lookback();

    /** Longest window an operator may ask for in one run. */
    @WithDefault("744h")
    Duration maxWindow();

    /** How many past runs {@code GET /admin/reconciliations} lists. */
    @WithDefault("50")
    int listLimit();
}
