package brocard.webhooks.outbox;

import brocard.webhooks.concurrency.NamedThreads;
import brocard.webhooks.config.OutboxConfig;
import brocard.webhooks.config.TopicsConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Drains the outbox on threads of its own: {@code brocard.outbox.publisher-threads} for payments and refunds, and one
 * for 3-D Secure codes ({@link PublishLane}). The ingest writer wakes the lane of what it committed at once (the
 * OTP relay's latency budget has no room for a polling delay); rows written by other replicas, and rows due for a
 * retry, are found by polling every {@code brocard.outbox.poll-interval}.
 */
@ApplicationScoped
public class OutboxPublisher {

    private static final Logger LOG = Logger.getLogger(OutboxPublisher.class);

    private final OutboxBatchPublisher batches;
    private final OutboxConfig config;
    private final TopicsConfig topics;
    private final Map<PublishLane, Semaphore> wakeUps = new EnumMap<>(PublishLane.class);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public OutboxPublisher(OutboxBatchPublisher batches, OutboxConfig config, TopicsConfig topics) {
        this.batches = batches;
        this.config = config;
        this.topics = topics;
        for (PublishLane lane : PublishLane.values()) {
            wakeUps.put(lane, new Semaphore(0));
        }
    }

    void start(@Observes StartupEvent event) {
        if (!config.publisherEnabled()) {
            LOG.info("Outbox publisher disabled on this replica (brocard.outbox.publisher-enabled=false)");
            return;
        }
        running = true;
        for (int i = 1; i <= config.publisherThreads(); i++) {
            startThread(PublishLane.EVENTS, "outbox-publisher-" + i);
        }
        startThread(PublishLane.OTP, "outbox-publisher-otp");
    }

    /**
     * SIGTERM: stop claiming, let every in-flight batch finish (wait for Kafka's acknowledgements, mark the rows
     * published, commit) for at most {@code brocard.outbox.shutdown-timeout}, and only then let Quarkus close the
     * producers and the pool. The threads are not interrupted: an interrupted batch would leave rows Kafka already
     * took unmarked, and the next publisher would send them again. A batch still running at the deadline is
     * abandoned: its transaction rolls back when the connection closes, and its rows are published again (at least
     * once, as after a crash). Runs before the other shutdown observers (the Kafka connector closes after them).
     */
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event)
            throws InterruptedException {
        if (!running) {
            return;
        }
        running = false;
        wakeUps.values().forEach(wakeUp -> wakeUp.release(threads.size())); // idle threads see running=false now
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        long abandoned = threads.stream().filter(Thread::isAlive).count();
        if (abandoned > 0) {
            LOG.warnf(
                    "Outbox publisher: %d batch(es) still waiting for Kafka after %s; abandoned, their rows are "
                            + "published again by the next publisher",
                    abandoned, config.shutdownTimeout());
        } else {
            LOG.info("Outbox publisher stopped; every in-flight batch was marked");
        }
    }

    /** Called after a commit that queued events for these topics: their lane looks for work now. */
    public void eventsCommitted(Set<String> committedTopics) {
        boolean otp = committedTopics.contains(topics.otp());
        if (otp) {
            wakeUps.get(PublishLane.OTP).release();
        }
        if (committedTopics.size() > (otp ? 1 : 0)) {
            wakeUps.get(PublishLane.EVENTS).release();
        }
    }

    private void startThread(PublishLane lane, String name) {
        Thread thread = NamedThreads.daemon(() -> run(lane), name);
        thread.start();
        threads.add(thread);
    }

    private void run(PublishLane lane) {
        Semaphore wakeUp = wakeUps.get(lane);
        while (running) {
            try {
                if (batches.publishNextBatch(lane) == 0) {
                    waitForWork(wakeUp, config.pollInterval().toMillis());
                }
            } catch (RuntimeException e) {
                // Typically the database is unreachable: rows stay where they are, try again shortly.
                LOG.warnf(
                        "Outbox batch failed (%s); retrying in %s", e.getClass().getName(), config.pollInterval());
                waitForWork(wakeUp, config.pollInterval().toMillis());
            }
        }
    }

    private void waitForWork(Semaphore wakeUp, long millis) {
        try {
            // Whatever committed before this thread's next claim is covered by that claim, so the pending wake-ups
            // are dropped; commits after it release new ones and wake the lane's other thread.
            if (wakeUp.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
                wakeUp.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false; // only the JVM interrupts these threads: it is going away
        }
    }
}
