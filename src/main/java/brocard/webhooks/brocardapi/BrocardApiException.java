package brocard.webhooks.brocardapi;

/**
 * Brocard's API could not answer what was asked: refused the key, kept failing after the retries, or answered
 * something unreadable. Messages are our own words (status, exception classes, Brocard's {@code request_id}): never
 * the key, the URL's query or a response body.
 */
public class BrocardApiException extends RuntimeException {

    public BrocardApiException(String message) {
        super(message);
    }

    public BrocardApiException(String message, Throwable cause) {
        super(message, cause);
    }
}
