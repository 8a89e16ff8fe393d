package brocard.webhooks.ingest;

/** The group-commit writer's metric names (batches, queue, refusals, 503s). Prometheus names in docs/operations.md. */
public final class IngestMetricNames {

    public static final String BATCH_DURATION = "brocard.ingest.batch.duration";
    public static final String BATCH_FAILED = "brocard.ingest.batch.failed";
    public static final String BATCH_SIZE = "brocard.ingest.batch.size";
    public static final String QUEUE_DEPTH = "brocard.ingest.queue.depth";
    public static final String REFUSED_BY_DATABASE = "brocard.ingest.refused.by.database";
    public static final String UNAVAILABLE = "brocard.ingest.unavailable";

    private IngestMetricNames() {}
}
