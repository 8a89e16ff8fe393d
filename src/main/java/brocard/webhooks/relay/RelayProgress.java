package brocard.webhooks.relay;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay's own view of its progress: every event taken from Kafka and not yet acknowledged, with when it was taken.
 * The oldest one's age is what the Kafka connector's ack timeout measures too; shown as a gauge and used by
 * {@link RelayLiveness}, so a relay that stopped finishing events shows before the connector gives the consumer up.
 */
@ApplicationScoped
public class RelayProgress {

    private final Map<Long, Long> unackedSince = new ConcurrentHashMap<>();
    private final AtomicLong nextToken = new AtomicLong();

    public RelayProgress(MeterRegistry registry) {
        TimeGauge.builder(
                        RelayMetricNames.UNACKED_OLDEST_AGE,
                        this,
                        TimeUnit.MILLISECONDS,
                        progress -> progress.oldestUnacked().toMillis())
                .description("Age of the oldest event the relay took from Kafka and has not acknowledged")
                .register(registry);
        Gauge.builder(RelayMetricNames.UNACKED, unackedSince, Map::size)
                .description("Events taken from Kafka and not acknowledged yet")
                .register(registry);
    }

    /** An event was taken off the stream; returns the token to pass to {@link #acknowledged}. */
    public long taken() {
        long token = nextToken.incrementAndGet();
        unackedSince.put(token, System.nanoTime());
        return token;
    }

    public void acknowledged(long token) {
        unackedSince.remove(token);
    }

    public int unacked() {
        return unackedSince.size();
    }

    /** Zero when nothing is waiting. At most max-in-flight entries (2,000): a scan is cheap at scrape rates. */
    public Duration oldestUnacked() {
        long now = System.nanoTime();
        long oldest = unackedSince.values().stream()
                .mapToLong(since -> now - since)
                .max()
                .orElse(0);
        return Duration.ofNanos(Math.max(0, oldest));
    }
}
