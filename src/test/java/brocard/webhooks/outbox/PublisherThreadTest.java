package brocard.webhooks.outbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scheduling of one publisher thread, against batches that only record their calls: however busy the hand-offs
 * keep it, the poll (the only path to retries, other replicas' rows and dropped hand-offs) still runs every poll
 * interval; and a hand-off the thread could not take makes it poll without waiting for the interval. The batches
 * themselves run against PostgreSQL and Kafka in the other outbox tests.
 */
class PublisherThreadTest {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger polls = new AtomicInteger();
    private final AtomicInteger handOffBatches = new AtomicInteger();

    @AfterEach
    void stop() {
        running.set(false);
    }

    @Test
    void aSteadyStreamOfHandOffsNeverStarvesThePoll() throws Exception {
        // Every hand-off batch takes 5 ms, as if waiting for Kafka, and new hand-offs keep arriving meanwhile (20 a
        // millisecond): the queue is never empty when the thread looks, and never full (nothing is dropped).
        PublisherThread thread = start(5, Duration.ofMillis(200), 1_000_000);
        AtomicLong nextId = new AtomicLong();
        Thread feeder = new Thread(() -> {
            while (running.get()) {
                for (int i = 0; i < 20; i++) {
                    thread.handOff(nextId.incrementAndGet());
                }
                thread.wakeUp();
                LockSupport.parkNanos(1_000_000);
            }
        });
        feeder.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> handOffBatches.get() >= 50);
        int pollsBefore = polls.get();
        long started = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> polls.get() >= pollsBefore + 5);
        double seconds = (System.nanoTime() - started) / 1e9;
        running.set(false);
        feeder.join();
        // Five polls at a 200 ms interval: about a second, not "whenever the hand-offs pause" (they never did).
        assertTrue(seconds < 5, "five polls took " + seconds + " s while hand-offs streamed");
        assertTrue(handOffBatches.get() > 50, "the hand-offs kept flowing too");
    }

    @Test
    void aDroppedHandOffMakesTheThreadPollWithoutWaitingForTheInterval() {
        PublisherThread thread = start(0, Duration.ofHours(1), 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> polls.get() == 1); // the poll at start
        thread.handOff(1); // queued (capacity 1)...
        thread.handOff(2); // ...dropped: only a poll can find this row
        thread.wakeUp();
        await().atMost(Duration.ofSeconds(5)).until(() -> polls.get() == 2 && handOffBatches.get() == 1);
    }

    private PublisherThread start(long handOffMillis, Duration pollInterval, int queueCapacity) {
        OutboxBatches batches = new OutboxBatches() {
            @Override
            public int publishNextBatch(PublishLane lane) {
                polls.incrementAndGet();
                return 0;
            }

            @Override
            public HandOff publishHandedOff(PublishLane lane, List<Long> ids) {
                handOffBatches.incrementAndGet();
                sleep(handOffMillis);
                return new HandOff(ids.size(), List.of());
            }
        };
        PublisherThread thread = new PublisherThread(
                "test-publisher", PublishLane.EVENTS, batches, 500, pollInterval, queueCapacity, running::get);
        thread.start();
        return thread;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
