package brocard.webhooks.outbox;

/** The outbox's metric names (published, parked, backlog, lag). Prometheus names in docs/operations.md. */
public final class OutboxMetricNames {

    /** Rows claimed for publishing, by {@code source}: taken from the writer's hand, or found by polling. */
    public static final String CLAIMED = "brocard.outbox.claimed";

    public static final String CLAIM_HAND_OFF = "hand-off";
    public static final String CLAIM_POLL = "poll";

    public static final String DEAD_LETTERS = "brocard.outbox.dead.letters";
    public static final String LAG = "brocard.outbox.lag";
    public static final String OLDEST_PENDING_AGE_SECONDS = "brocard.outbox.oldest.pending.age.seconds";
    public static final String PARKED = "brocard.outbox.parked";
    public static final String PENDING = "brocard.outbox.pending";
    public static final String PUBLISHED = "brocard.outbox.published";

    private OutboxMetricNames() {}
}
