package brocard.webhooks.relay.channel;

/**
 * A failed delivery attempt. Its message is safe to store and log (an HTTP status, an error class), never the code.
 */
public class DeliveryException extends Exception {

    private final boolean retryable;

    public DeliveryException(String message, boolean retryable) {
        super(message, null, false, false);
        this.retryable = retryable;
    }

    public static DeliveryException retryable(String message) {
        return new DeliveryException(message, true);
    }

    public static DeliveryException permanent(String message) {
        return new DeliveryException(message, false);
    }

    /** Worth trying again (timeouts, 429, 5xx); a permanent one (400, 403, no redirects) is not. */
    public boolean isRetryable() {
        return retryable;
    }
}
