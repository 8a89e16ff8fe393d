package brocard.webhooks.outbox;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drains the outbox on threads of its own ({@link PublisherThread}): {@code brocard.outbox.publisher-threads} for
 * payments and refunds, and one for 3-D Secure codes ({@link PublishLane}). The ingest writer hands each committed row
 * to its thread at once (the OTP relay's latency budget has no room for a polling delay, and a claim by id costs the
 * database far less than a poll); rows written by other replicas, and rows due for a retry, are found by polling every
 * {@code brocard.outbox.poll-interval}.
 * <p>
 * A payment's or refund's rows are always handed to the same thread of the lane (by Kafka key), in commit order: its
 * next row is claimed in a later batch of that thread than the previous one, once that one is published, and is not
 * skipped as "not the head" because the lane's other thread holds the previous one (a poll of the other thread or
 * another replica may still hold it: the row then waits for a poll).
 */
@ApplicationScoped
public class OutboxPublisher {

    private static final Logger LOG = Logger.getLogger(OutboxPublisher.class);
    /** Hand-offs a thread keeps waiting, in batches; beyond that the poll takes over (a publisher far behind). */
    private static final int QUEUED_BATCHES = 20;

    private final OutboxBatchPublisher batches;
    private final OutboxConfig config;
    private final TopicsConfig topics;
    private final List<PublisherThread> eventThreads = new ArrayList<>();
    private PublisherThread otpThread;
    private volatile boolean running;

    public OutboxPublisher(OutboxBatchPublisher batches, OutboxConfig config, TopicsConfig topics) {
        this.batches = batches;
        this.config = config;
        this.topics = topics;
    }

    void start(@Observes StartupEvent event) {
        if (!config.publisherEnabled()) {
            LOG.info("Outbox publisher disabled on this replica (brocard.outbox.publisher-enabled=false)");
            return;
        }
        if (config.publisherThreads() < 1) {
            throw new IllegalStateException("brocard.outbox.publisher-threads must be at least 1 (to run no publisher "
                    + "on this replica, set brocard.outbox.publisher-enabled=false)");
        }
        for (int i = 1; i <= config.publisherThreads(); i++) {
            eventThreads.add(thread(PublishLane.EVENTS, "outbox-publisher-" + i));
        }
        otpThread = thread(PublishLane.OTP, "outbox-publisher-otp");
        running = true; // after the threads exist: the writer hands rows over as soon as it sees this
        all().forEach(PublisherThread::start);
    }

    /**
     * SIGTERM: stop claiming, let every in-flight batch finish (wait for Kafka's acknowledgements, mark the rows
     * published, commit) for at most {@code brocard.outbox.shutdown-timeout}, and only then let Quarkus close the
     * producers and the pool. The threads are not interrupted: an interrupted batch would leave rows Kafka already
     * took unmarked, and the next publisher would send them again. A batch still running at the deadline is
     * abandoned: its transaction rolls back when the connection closes, and its rows are published again (at least
     * once, as after a crash). Hand-offs not yet claimed stay in the outbox for the next publisher. Runs before the
     * other shutdown observers (the Kafka connector closes after them).
     */
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event)
            throws InterruptedException {
        if (!running) {
            return;
        }
        running = false;
        List<PublisherThread> all = all();
        all.forEach(PublisherThread::wakeUp); // idle threads see running=false now
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        for (PublisherThread thread : all) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        long abandoned = all.stream().filter(PublisherThread::isAlive).count();
        if (abandoned > 0) {
            LOG.warnf(
                    "Outbox publisher: %d batch(es) still waiting for Kafka after %s; abandoned, their rows are "
                            + "published again by the next publisher",
                    abandoned, config.shutdownTimeout());
        } else {
            LOG.info("Outbox publisher stopped; every in-flight batch was marked");
        }
    }

    /**
     * Called by the ingest writer after a commit, with the outbox rows it wrote: each goes to the thread that
     * publishes its key, which is woken.
     */
    public void eventsCommitted(List<QueuedEvent> committed) {
        if (!running) {
            return; // publisher disabled here, or stopping: the rows wait in the outbox for a poll
        }
        boolean[] woken = new boolean[eventThreads.size()];
        boolean otp = false;
        for (QueuedEvent event : committed) {
            if (event.topic().equals(topics.otp())) {
                otpThread.handOff(event.id());
                otp = true;
            } else {
                int thread = threadOf(event.topic(), event.key(), eventThreads.size());
                eventThreads.get(thread).handOff(event.id());
                woken[thread] = true;
            }
        }
        if (otp) {
            otpThread.wakeUp();
        }
        for (int i = 0; i < woken.length; i++) {
            if (woken[i]) {
                eventThreads.get(i).wakeUp();
            }
        }
    }

    /** The events thread that publishes a key's hand-offs: always the same one, so a key's rows come in order. */
    static int threadOf(String topic, String key, int threads) {
        return Math.floorMod(31 * topic.hashCode() + key.hashCode(), threads);
    }

    private PublisherThread thread(PublishLane lane, String name) {
        return new PublisherThread(
                name,
                lane,
                batches,
                config.batchSize(),
                config.pollInterval(),
                config.batchSize() * QUEUED_BATCHES,
                () -> running);
    }

    private List<PublisherThread> all() {
        List<PublisherThread> all = new ArrayList<>(eventThreads);
        if (otpThread != null) {
            all.add(otpThread);
        }
        return all;
    }
}
