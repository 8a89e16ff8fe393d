package brocard.webhooks.reconcile;

/** A run cannot go on; the message (our own words, no key, no body) becomes the run's {@code error}. */
public class ReconcileException extends RuntimeException {

    public ReconcileException(String message) {
        super(message);
    }
}
