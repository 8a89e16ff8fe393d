package brocard.webhooks.outbox;

import brocard.webhooks.config.OutboxConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Drains the outbox on threads of its own ({@code brocard.outbox.publisher-threads}). A commit that queued an event wakes it at once (the OTP relay's latency
 * budget has no room for a polling delay); rows written by other replicas, and rows due for a retry, are found by
 * polling every {@code brocard.outbox.poll-interval}.
 */
@ApplicationScoped
public class OutboxPublisher {

    private static final Logger LOG = Logger.getLogger(OutboxPublisher.class);

    private final OutboxBatchPublisher batches;
    private final OutboxConfig config;
    private final Semaphore wakeUp = new Semaphore(0);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public OutboxPublisher(OutboxBatchPublisher batches, OutboxConfig config) {
        this.batches = batches;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (!config.publisherEnabled()) {
            LOG.info("Outbox publisher disabled on this replica (brocard.outbox.publisher-enabled=false)");
            return;
        }
        running = true;
        for (int i = 1; i <= config.publisherThreads(); i++) {
            Thread thread = new Thread(this::run, "outbox-publisher-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            thread.join(config.sendTimeout().toMillis());
        }
    }

    void onEventQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxWriter.EventQueued event) {
        wakeUp.release();
    }

    private void run() {
        while (running) {
            try {
                if (batches.publishNextBatch() == 0) {
                    waitForWork(config.pollInterval().toMillis());
                }
            } catch (RuntimeException e) {
                // Typically the database is unreachable: rows stay where they are, try again shortly.
                LOG.warnf("Outbox batch failed (%s); retrying in %s", e.getClass().getName(), config.pollInterval());
                waitForWork(config.pollInterval().toMillis());
            }
        }
    }

    private void waitForWork(long millis) {
        try {
            // Whatever committed before this thread's next claim is covered by that claim, so the pending wake-ups
            // are dropped; commits after it release new ones and wake the other thread.
            if (wakeUp.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
                wakeUp.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
