package brocard.webhooks.outbox;

import java.util.List;

/**
 * The two kinds of publishing batch a {@link PublisherThread} runs ({@link OutboxBatchPublisher}); an interface so the
 * thread's scheduling (polls are never starved by hand-offs) can be tested without timing a database.
 */
interface OutboxBatches {

    /**
     * What a batch of handed-off ids came to.
     *
     * @param claimed      how many of the handed ids were claimed
     * @param claimedAhead ids claimed besides the handed ones: later rows of the same keys, which are usually still on
     *                     their way through the hand-off queue and need not be claimed again
     */
    record HandOff(int claimed, List<Long> claimedAhead) {}

    /** @return rows claimed by polling (0: nothing due) */
    int publishNextBatch(PublishLane lane);

    HandOff publishHandedOff(PublishLane lane, List<Long> ids);
}
