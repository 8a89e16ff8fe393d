package brocard.webhooks.relay;

/** Final states of a delivery, and the {@code outcome} tag of {@code brocard.relay.deliveries}. */
public enum DeliveryOutcome {
    DELIVERED,
    FAILED,
    EXPIRED,
    /**
     * Already expired (or purged) when the relay got it, so never attempted: e.g. a backlog replayed after an outage
     * or a first deployment. Stored as {@code expired}; counted apart so it does not page like a failed delivery.
     */
    STALE,
    /**
     * Never sent because a newer code of the same code id (a re-issue) had already reached the relay: the cardholder
     * must not get the stale code after the fresh one.
     */
    SUPERSEDED;

    public String wireName() {
        return name().toLowerCase();
    }

    /** The status stored in otp_delivery. */
    public String status() {
        return this == STALE ? "expired" : wireName();
    }
}
