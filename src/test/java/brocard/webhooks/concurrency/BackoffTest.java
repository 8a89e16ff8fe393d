package brocard.webhooks.concurrency;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    @Test
    void doublesFromTheInitialWaitUpToTheMaximum() {
        assertEquals(100, backoff.millisBefore(1));
        assertEquals(200, backoff.millisBefore(2));
        assertEquals(400, backoff.millisBefore(3));
        assertEquals(3200, backoff.millisBefore(6));
        assertEquals(5000, backoff.millisBefore(7));
        assertEquals(Duration.ofSeconds(5), backoff.before(1_000));
    }

    @Test
    void aRetryCountedFromZeroOrBelowWaitsTheInitialTime() {
        assertEquals(100, backoff.millisBefore(0));
        assertEquals(100, backoff.millisBefore(-3));
    }

    @Test
    void neverOverflowsWhateverTheSettings() {
        Backoff huge = new Backoff(Duration.ofDays(10_000), Duration.ofDays(1_000_000));
        assertEquals(Duration.ofDays(1_000_000).toMillis(), huge.millisBefore(Integer.MAX_VALUE));
    }

    @Test
    void aMaximumBelowTheInitialWaitCapsEveryWait() {
        Backoff capped = new Backoff(Duration.ofSeconds(8), Duration.ofSeconds(5));
        assertEquals(5000, capped.millisBefore(1));
        assertEquals(5000, capped.millisBefore(4));
    }

    @Test
    void refusesNegativeWaits() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(-1), Duration.ofSeconds(1)));
    }
}
