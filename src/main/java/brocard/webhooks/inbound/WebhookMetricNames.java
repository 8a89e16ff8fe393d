package brocard.webhooks.inbound;

/**
 * Metric names about webhooks as they arrive (received, unrecognized, dedup conflicts, store time): counted by
 * `ingest`, `security` and the kinds. Prometheus adds `_total`/`_seconds`; docs/operations.md lists them.
 */
public final class WebhookMetricNames {

    public static final String DEDUP_CONFLICTS = "brocard.webhooks.dedup.conflicts";
    public static final String RECEIVED = "brocard.webhooks.received";
    public static final String STORE_DURATION = "brocard.webhooks.store.duration";
    public static final String UNRECOGNIZED = "brocard.webhooks.unrecognized";

    private WebhookMetricNames() {}
}
