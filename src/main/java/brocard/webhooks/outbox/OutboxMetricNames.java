package brocard.webhooks.outbox;

/** The outbox's metric names (published, parked, backlog, lag). Prometheus names in docs/operations.md. */
public final class OutboxMetricNames {

    public static final String DEAD_LETTERS = "brocard.outbox.dead.letters";
    public static final String LAG = "brocard.outbox.lag";
    public static final String OLDEST_PENDING_AGE_SECONDS = "brocard.outbox.oldest.pending.age.seconds";
    public static final String PARKED = "brocard.outbox.parked";
    public static final String PENDING = "brocard.outbox.pending";
    public static final String PUBLISHED = "brocard.outbox.published";

    private OutboxMetricNames() {}
}
