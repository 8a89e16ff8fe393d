package brocard.webhooks.ingest;

/**
 * A webhook that could not be stored now, through no fault of its own: answered 503 with {@code Retry-After}, so
 * Brocard sends it again. Nothing of it is published. The message is safe to return and log.
 */
public class StoreUnavailableException extends RuntimeException {

    /** Why; also the {@code reason} tag of {@code brocard.ingest.unavailable} (lower case). */
    public enum Reason {
        /** The writer's queue is full: more arrives than the database takes. */
        QUEUE_FULL("The service is at capacity; retry shortly."),
        /**
         * Not committed within {@code brocard.ingest.store-timeout}: the database is down, slow, locked or out of
         * connections. It may still commit a moment later (Brocard's retry is then a duplicate).
         */
        STORE_TIMEOUT("The webhook could not be stored in time; retry shortly."),
        /**
         * The batch transaction failed (database down, commit failed): nothing of the batch is stored. Also a refusal
         * whose quarantine row could not be written because the database is unavailable.
         */
        STORE_FAILED("The webhook could not be stored; retry shortly."),
        /** The replica is shutting down. */
        SHUTTING_DOWN("The service is shutting down; retry shortly.");

        private final String message;

        Reason(String message) {
            this.message = message;
        }
    }

    private final Reason reason;

    public StoreUnavailableException(Reason reason) {
        super(reason.message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
