package brocard.webhooks.relay;

/**
 * The OTP relay's metric names (deliveries, latency, claims, liveness). Prometheus names in docs/relay.md and
 * docs/operations.md.
 */
public final class RelayMetricNames {

    public static final String ACK_TIMEOUT = "brocard.relay.ack.timeout";
    public static final String CLAIMS = "brocard.relay.claims";
    public static final String CONSUMER_UP = "brocard.relay.consumer.up";
    public static final String DELIVERIES = "brocard.relay.deliveries";
    public static final String LATENCY = "brocard.relay.latency";
    public static final String UNACKED = "brocard.relay.unacked";
    public static final String UNACKED_OLDEST_AGE = "brocard.relay.unacked.oldest.age";

    private RelayMetricNames() {}
}
