package brocard.webhooks.brocardapi;

import java.time.Duration;

/**
 * Our own limit on the request rate to Brocard: callers take turns, spaced at least {@code 1/rate} apart. Brocard
 * answers 429 beyond its own limit, which nobody documents; staying well under it keeps a catching-up sweep from
 * making the provider throttle us.
 */
final class RequestRate {

    private final long spacingNanos;
    private long nextSlotNanos = System.nanoTime();

    RequestRate(double requestsPerSecond) {
        this.spacingNanos = requestsPerSecond <= 0 ? 0 : (long) (1_000_000_000L / requestsPerSecond);
    }

    /** Blocks until this caller's turn. */
    void acquire() throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(now, nextSlotNanos);
            nextSlotNanos = slot + spacingNanos;
            wait = slot - now;
        }
        if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait).toMillis(), (int) (wait % 1_000_000));
        }
    }
}
