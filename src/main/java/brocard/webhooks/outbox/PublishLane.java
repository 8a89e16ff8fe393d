package brocard.webhooks.outbox;

/**
 * Which outbox rows a publisher thread claims. 3-D Secure codes have a lane of their own (their own threads, claim
 * query and Kafka producer without linger), so a backlog of payments never stands between a cardholder and a code.
 */
public enum PublishLane {
    /** Every topic but the OTP one: batched for throughput. */
    EVENTS("<>", OutboxBatchPublisher.CHANNEL),
    /** The OTP topic only: sent at once. */
    OTP("=", OutboxBatchPublisher.OTP_CHANNEL);

    private final String topicComparison;
    private final String channel;

    PublishLane(String topicComparison, String channel) {
        this.topicComparison = topicComparison;
        this.channel = channel;
    }

    /** The SQL comparison of a row's topic with the OTP topic that selects this lane's rows. */
    String topicComparison() {
        return topicComparison;
    }

    /** The messaging channel (Kafka producer) of this lane. */
    String channel() {
        return channel;
    }
}
