package brocard.webhooks.ingest;

import brocard.webhooks.concurrency.NamedThreads;
import brocard.webhooks.config.IngestConfig;
import brocard.webhooks.inbound.WebhookKind;
import brocard.webhooks.outbox.OutboxPublisher;
import brocard.webhooks.outbox.OutboxWriter;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for validated webhooks: requests hand their {@link StoreRequest} over and wait, without a thread, for
 * the future the writer completes after the commit. Lanes, each with its own queue, thread and connection: one for
 * 3-D Secure codes, which never wait behind a flood of payments, and {@code writer-shards} for payments and refunds. A full queue is answered at once (503), never buffered
 * without bound.
 */
@ApplicationScoped
public class IngestWriter {

    private static final long STOP_WAIT_MILLIS = 10_000;

    private final List<WriteLane> events = new ArrayList<>();
    private final WriteLane otp;
    private final long storeTimeoutNanos;
    /**
     * Answers 503 to webhooks not committed within {@code store-timeout}, whatever the lane's thread is stuck in (a
     * connection attempt, a lock, a hung network): their answer never waits on the database's own timeouts.
     */
    private final ScheduledThreadPoolExecutor deadlines =
            new ScheduledThreadPoolExecutor(1, NamedThreads.named("ingest-store-deadlines"));

    public IngestWriter(
            Instance<WebhookIngestor<?>> all,
            DedupConflicts conflicts,
            OutboxWriter outbox,
            OutboxPublisher publisher,
            IngestConfig config,
            AgroalDataSource dataSource,
            MeterRegistry registry) {
        Map<WebhookKind, WebhookIngestor<?>> ingestors = new EnumMap<>(WebhookKind.class);
        all.forEach(ingestor -> ingestors.put(ingestor.kind(), ingestor));
        WriteBatch batch = new WriteBatch(ingestors, conflicts, outbox);
        this.storeTimeoutNanos = config.storeTimeout().toNanos();
        // Most deadlines are cancelled (the webhook committed in time): drop them at once instead of at expiry.
        deadlines.setRemoveOnCancelPolicy(true);
        for (int shard = 0; shard < config.writerShards(); shard++) {
            events.add(new WriteLane(
                    "events-" + shard,
                    config.queueCapacity(),
                    config,
                    dataSource,
                    batch,
                    publisher::eventsCommitted,
                    registry));
        }
        this.otp = new WriteLane(
                "otp", config.otpQueueCapacity(), config, dataSource, batch, publisher::eventsCommitted, registry);
    }

    void start(@Observes StartupEvent event) {
        events.forEach(WriteLane::start);
        otp.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        for (WriteLane lane : events) {
            lane.stop(STOP_WAIT_MILLIS);
        }
        otp.stop(STOP_WAIT_MILLIS);
        deadlines.shutdownNow();
    }

    /** The writer shard of a payment or refund: by its Kafka key, so a key's webhooks stay in arrival order. */
    public static int shardOf(String key, int shards) {
        return Math.floorMod(key.hashCode(), shards);
    }

    /**
     * @return completes with the outcome once the webhook's batch is committed, or exceptionally with
     * {@link StoreUnavailableException} (queue full, not committed within {@code store-timeout}, batch failed); always
     * within {@code store-timeout}
     */
    public CompletableFuture<IngestResult> submit(StoreRequest<?> request) {
        WriteLane lane = request.kind() == WebhookKind.OTP_CODE
                ? otp
                : events.get(shardOf(request.event().key(), events.size()));
        CompletableFuture<IngestResult> result = request.result();
        long left = storeTimeoutNanos - (System.nanoTime() - request.createdNanos());
        ScheduledFuture<?> deadline = deadlines.schedule(
                () -> result.completeExceptionally(
                        new StoreUnavailableException(StoreUnavailableException.Reason.STORE_TIMEOUT)),
                Math.max(0, left),
                TimeUnit.NANOSECONDS);
        result.whenComplete((stored, failure) -> deadline.cancel(false));
        if (!lane.offer(request)) {
            result.completeExceptionally(new StoreUnavailableException(
                    lane.isRunning()
                            ? StoreUnavailableException.Reason.QUEUE_FULL
                            : StoreUnavailableException.Reason.SHUTTING_DOWN));
        }
        return result;
    }
}
