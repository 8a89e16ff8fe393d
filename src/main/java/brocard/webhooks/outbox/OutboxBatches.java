package brocard.webhooks.outbox;

import java.util.List;

/**
 * The two kinds of publishing batch a {@link PublisherThread} runs ({@link OutboxBatchPublisher}); an interface so the
 * thread's scheduling (polls are never starved by hand-offs) can be tested without timing a database.
 */
interface OutboxBatches {

    /** @return rows claimed by polling (0: nothing due) */
    int publishNextBatch(PublishLane lane);

    /** @return how many of the handed-off ids were claimed */
    int publishHandedOff(PublishLane lane, List<Long> ids);
}
