package brocard.webhooks.concurrency;

import java.time.Duration;

/**
 * The one retry policy of the service: exponential backoff. The first retry waits {@code initial}, each further one
 * twice as long, never more than {@code max}. Used by the outbox publisher, the OTP relay (deliveries and recipient
 * lookups) and the Brocard API client, each with its own settings.
 *
 * @param initial wait before the first retry
 * @param max     the longest wait, whatever the number of retries
 */
public record Backoff(Duration initial, Duration max) {

    /** Doublings beyond this cannot be told apart from {@code max} for any sane setting; it keeps the shift in range. */
    private static final int MAX_DOUBLINGS = 30;

    public Backoff {
        if (initial.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("Backoff waits cannot be negative, got " + initial + " and " + max);
        }
        // A max below initial is allowed (settings are independent): every wait is then max.
    }

    /**
     * @param retry the retry about to happen, counted from 1 (0 and less are treated as 1)
     * @return the wait before it, in milliseconds
     */
    public long millisBefore(int retry) {
        int doublings = Math.min(Math.max(retry - 1, 0), MAX_DOUBLINGS);
        long initialMillis = initial.toMillis();
        long grown = initialMillis > (Long.MAX_VALUE >> doublings) ? Long.MAX_VALUE : initialMillis << doublings;
        return Math.min(grown, max.toMillis());
    }

    /** {@link #millisBefore} as a duration. */
    public Duration before(int retry) {
        return Duration.ofMillis(millisBefore(retry));
    }
}
