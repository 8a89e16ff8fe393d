package brocard.webhooks.ingest;

import brocard.webhooks.concurrency.NamedThreads;
import brocard.webhooks.config.IngestConfig;
import brocard.webhooks.outbox.QueuedEvent;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One group-commit writer: a bounded queue and one thread with a connection of its own. The thread takes whatever is
 * queued (up to the batch size; if the queue ran dry, it lingers a fraction of a millisecond for more), stores it in
 * one transaction ({@link WriteBatch}) and only after the commit completes each request with its own outcome. While a
 * batch commits, the next one queues up: one disk flush serves many webhooks. One thread per lane also keeps commit
 * order equal to arrival order on this replica, which the outbox's per-key order relies on.
 */
final class WriteLane {

    private static final Logger LOG = Logger.getLogger(WriteLane.class);
    private static final long FAILURE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String name;
    private final BlockingQueue<StoreRequest<?>> queue;
    private final IngestConfig config;
    private final WriterConnection connection;
    private final WriteBatch batch;
    private final Consumer<List<QueuedEvent>> committedEvents;
    private final LaneMetrics metrics;
    private final Thread thread;
    private volatile boolean running = true;
    private long lastFailureLog;

    WriteLane(
            String name,
            int capacity,
            IngestConfig config,
            AgroalDataSource dataSource,
            WriteBatch batch,
            Consumer<List<QueuedEvent>> committedEvents,
            MeterRegistry registry) {
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.config = config;
        this.connection = new WriterConnection(dataSource, config);
        this.batch = batch;
        this.committedEvents = committedEvents;
        this.metrics = new LaneMetrics(name, queue, registry);
        this.thread = NamedThreads.daemon(this::run, "ingest-writer-" + name);
    }

    void start() {
        thread.start();
    }

    /** @return false when the queue is full or the lane is stopping: the caller answers 503 */
    boolean offer(StoreRequest<?> request) {
        return running && queue.offer(request);
    }

    boolean isRunning() {
        return running;
    }

    /** Stores what is already queued, then stops. */
    void stop(long waitMillis) throws InterruptedException {
        running = false;
        thread.join(waitMillis);
        for (StoreRequest<?> left; (left = queue.poll()) != null; ) {
            left.result()
                    .completeExceptionally(
                            new StoreUnavailableException(StoreUnavailableException.Reason.SHUTTING_DOWN));
        }
        connection.close();
    }

    private void run() {
        List<StoreRequest<?>> requests = new ArrayList<>(config.batchSize());
        while (running || !queue.isEmpty()) {
            try {
                if (collect(requests)) {
                    write(requests);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                fail(requests, e); // a bug, not the database: still answer every waiting request
            } finally {
                requests.clear();
            }
        }
    }

    /**
     * Fills the batch. Requests already answered (503: not committed within the store timeout while the database was
     * down or slow) are left out: nobody waits for them, and Brocard retries them.
     */
    private boolean collect(List<StoreRequest<?>> requests) throws InterruptedException {
        StoreRequest<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
            return false;
        }
        requests.add(first);
        queue.drainTo(requests, config.batchSize() - 1);
        if (requests.size() < config.batchSize() && config.lingerMicros() > 0) {
            StoreRequest<?> late = queue.poll(config.lingerMicros(), TimeUnit.MICROSECONDS);
            if (late != null) {
                requests.add(late);
                queue.drainTo(requests, config.batchSize() - requests.size());
            }
        }
        requests.removeIf(request -> request.result().isDone());
        return !requests.isEmpty();
    }

    private void write(List<StoreRequest<?>> requests) {
        Timer.Sample sample = Timer.start();
        WriteBatch.Stored stored;
        try {
            Connection c = connection.get();
            stored = batch.store(c, requests);
            c.commit();
        } catch (SQLException e) {
            connection.rollbackAfter(e);
            if (isCausedByContent(e)) {
                isolate(requests);
            } else {
                fail(requests, e);
            }
            return;
        }
        sample.stop(metrics.batchDuration);
        metrics.batchSize.record(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            requests.get(i).result().complete(stored.results().get(i));
        }
        handOff(stored.queued());
    }

    /**
     * Gives the committed outbox rows to the publisher. Best effort: the rows are committed, and the publisher's poll
     * finds any that a failed hand-off leaves behind. A failure here must never turn the batch's answers into 503s.
     */
    private void handOff(List<QueuedEvent> queued) {
        if (queued.isEmpty()) {
            return;
        }
        try {
            committedEvents.accept(queued);
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Ingest writer %s: handing %d committed events to the publisher failed (%s); its poll publishes them",
                    name, queued.size(), e.getClass().getName());
        }
    }

    /**
     * Whether the database refused a value rather than failed: data exceptions (class 22: invalid text, numeric out of
     * range, …), integrity (23) and program limits (54). Such an error belongs to one webhook of the batch, not to the
     * database's state.
     */
    private static boolean isCausedByContent(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    /**
     * One webhook's content sank the batch: store each of them alone, so the others are not refused with it. The one
     * that fails alone again is refused for its content (quarantined and answered 422 by the caller): a retry from
     * Brocard would fail the same way, so a 503 would only make it retry forever.
     */
    private void isolate(List<StoreRequest<?>> requests) {
        if (requests.size() == 1) {
            metrics.refusedByDatabase.increment();
            requests.get(0).result().completeExceptionally(new StoreRefusedException());
            return;
        }
        for (StoreRequest<?> request : requests) {
            write(List.of(request));
        }
    }

    private void fail(List<StoreRequest<?>> requests, Exception cause) {
        metrics.failedBatches.increment();
        long now = System.nanoTime();
        if (now - lastFailureLog > FAILURE_LOG_INTERVAL_NANOS) {
            lastFailureLog = now;
            // The class and SQLState only: a driver's message may quote the values of the batch.
            LOG.warnf(
                    "Ingest writer %s: a batch of %d webhooks failed (%s%s); answered 503, nothing of it stored",
                    name,
                    requests.size(),
                    cause.getClass().getName(),
                    cause instanceof SQLException sql ? ", SQLState " + sql.getSQLState() : "");
        }
        for (StoreRequest<?> request : requests) {
            request.result()
                    .completeExceptionally(
                            new StoreUnavailableException(StoreUnavailableException.Reason.STORE_FAILED));
        }
    }
}
