package brocard.webhooks.relay;

/** Final states of a delivery, and the {@code outcome} tag of {@code brocard.relay.deliveries}. */
public enum DeliveryOutcome {
    DELIVERED, FAILED, EXPIRED;

    public String wireName() {
        return name().toLowerCase();
    }
}
