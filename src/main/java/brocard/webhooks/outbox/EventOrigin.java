package brocard.webhooks.outbox;

/**
 * How an event reached this service, published as the CloudEvents extension attribute {@code brocardorigin}: as
 * Brocard's webhook, or recovered from Brocard's REST API by reconciliation because the webhook never arrived.
 */
public enum EventOrigin {
    WEBHOOK("webhook"),
    RECONCILIATION("reconciliation");

    /** The CloudEvents extension attribute that carries it. */
    public static final String CLOUD_EVENT_EXTENSION = "brocardorigin";

    private final String wireName;

    EventOrigin(String wireName) {
        this.wireName = wireName;
    }

    /** As stored in {@code outbox_event.origin} and published. */
    public String wireName() {
        return wireName;
    }
}
