package brocard.webhooks.outbox;

/**
 * Which outbox rows a publisher thread claims. 3-D Secure codes have a lane of their own (their own threads, claim
 * query and Kafka producer without linger), so a backlog of payments never stands between a cardholder and a code.
 */
public enum PublishLane {
    /** Every topic but the OTP one: batched for throughput. */
    EVENTS("<>"),
    /** The OTP topic only: sent at once. */
    OTP("=");

    private final String topicComparison;

    PublishLane(String topicComparison) {
        this.topicComparison = topicComparison;
    }

    /** The SQL comparison of a row's topic with the OTP topic that selects this lane's rows. */
    String topicComparison() {
        return topicComparison;
    }
}
