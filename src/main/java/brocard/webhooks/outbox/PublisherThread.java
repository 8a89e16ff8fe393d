package brocard.webhooks.outbox;

import brocard.webhooks.concurrency.NamedThreads;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * One publisher thread of a lane. Its main work is the rows this replica's writer committed and handed over (by id,
 * in commit order): one cheap claim by primary key per batch. It also polls the outbox every {@code poll-interval},
 * whatever the hand-offs do, for what no hand-off covers: rows of other replicas, retries, rows left by a restart or
 * dropped from a full hand-off queue; and at once after a hand-off whose rows were not all claimable (a key's head was
 * elsewhere) or a dropped hand-off. A poll that fills a whole batch is followed by another (a backlog drains at batch
 * speed); otherwise the thread takes the next hand-offs or waits for them until the next poll time.
 * <p>
 * Why not poll alone: the claim query walks the front of the claim index, where the rows published moments ago
 * still have entries until vacuum; woken by every commit at a thousand or more webhooks a second, that walk was the
 * largest single cost of the database (4 ms a claim, for about 25 rows).
 */
final class PublisherThread {

    private static final Logger LOG = Logger.getLogger(PublisherThread.class);

    private final PublishLane lane;
    private final OutboxBatches batches;
    private final int batchSize;
    private final long pollIntervalNanos;
    private final BooleanSupplier running;
    private final BlockingQueue<Long> handedOff;
    private final Semaphore wakeUp = new Semaphore(0);
    /** A hand-off was dropped (queue full, thread gone): the next turn polls, which finds its row. */
    private final AtomicBoolean dropped = new AtomicBoolean();

    private final String name;
    /** Ids claimed ahead of their hand-off, by this thread only ({@link #remember}). */
    private final Set<Long> claimedAhead = new HashSet<>();

    private final Thread thread;

    /**
     * @param queueCapacity hand-offs kept waiting at most; beyond it they are dropped (the rows are committed, the
     *                      poll publishes them), so a publisher that falls behind never costs unbounded memory
     */
    PublisherThread(
            String name,
            PublishLane lane,
            OutboxBatches batches,
            int batchSize,
            Duration pollInterval,
            int queueCapacity,
            BooleanSupplier running) {
        this.name = name;
        this.lane = lane;
        this.batches = batches;
        this.batchSize = batchSize;
        this.pollIntervalNanos = pollInterval.toNanos();
        this.running = running;
        this.handedOff = new ArrayBlockingQueue<>(queueCapacity);
        this.thread = NamedThreads.daemon(this::run, name);
    }

    void start() {
        thread.start();
    }

    /** A committed row of this thread's lane and keys; called by the writer's thread after its commit. */
    void handOff(long id) {
        if (!thread.isAlive() || !handedOff.offer(id)) {
            dropped.set(true); // the row is committed: the poll finds it
        }
    }

    void wakeUp() {
        wakeUp.release();
    }

    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    private void run() {
        long nextPoll = System.nanoTime(); // poll at once: rows left by a previous run of the service
        boolean pollNow = false;
        List<Long> ids = new ArrayList<>(batchSize);
        // Only the JVM interrupts these threads (it is going away); the interrupt is kept through a batch's wait.
        while (running.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
            try {
                // The poll first when it is due: a steady stream of hand-offs must never starve it, since only the
                // poll publishes retries, other replicas' rows and dropped hand-offs.
                if (pollNow || dropped.getAndSet(false) || System.nanoTime() - nextPoll >= 0) {
                    pollNow = batches.publishNextBatch(lane) >= batchSize;
                    nextPoll = System.nanoTime() + pollIntervalNanos;
                    continue;
                }
                ids.clear();
                handedOff.drainTo(ids, batchSize);
                ids.removeIf(claimedAhead::remove); // published with an earlier batch of their key
                if (!ids.isEmpty()) {
                    OutboxBatches.HandOff handOff = batches.publishHandedOff(lane, ids);
                    // Some handed rows were not claimable (their key's head is elsewhere): a poll takes them once
                    // their head is published, at once if it already is.
                    pollNow = handOff.claimed() < ids.size();
                    remember(handOff.claimedAhead());
                } else if (handedOff.isEmpty()) {
                    waitForWork(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextPoll - System.nanoTime())));
                }
            } catch (RuntimeException e) {
                // Typically the database is unreachable: rows stay where they are (handed-off ones too: the poll
                // finds them), try again shortly.
                LOG.warnf(
                        "Outbox batch failed (%s); retrying in %d ms",
                        e.getClass().getName(), TimeUnit.NANOSECONDS.toMillis(pollIntervalNanos));
                pollNow = false;
                nextPoll = System.nanoTime() + pollIntervalNanos;
                waitForWork(TimeUnit.NANOSECONDS.toMillis(pollIntervalNanos));
            }
        }
        if (running.getAsBoolean()) {
            // Interrupted while the service runs (not a shutdown): its keys' rows are left to the lane's other threads'
            // polls; say so, an operator sees a thread fewer.
            LOG.errorf("Outbox publisher thread %s stopped; its rows are published by the polls of the others", name);
        }
    }

    /**
     * Rows of a busy key committed while its previous batch was claimed go out with that batch (later rows of the
     * claimed heads); their own hand-offs are then skipped instead of claimed again (an empty claim, then a poll, for
     * every batch of a key that receives a row every few milliseconds). Bounded: later rows written by other replicas
     * are never handed over here, so the memory is dropped when it grows.
     */
    private void remember(List<Long> ahead) {
        if (claimedAhead.size() + ahead.size() > batchSize * 4) {
            claimedAhead.clear(); // a forgotten id only costs an empty claim of it
        }
        claimedAhead.addAll(ahead);
    }

    private void waitForWork(long millis) {
        try {
            // One wake-up covers every hand-off made before the next drain, so the pending ones are dropped.
            if (wakeUp.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
                wakeUp.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
