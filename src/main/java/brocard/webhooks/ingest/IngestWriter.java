package brocard.webhooks.ingest;

import brocard.webhooks.config.IngestConfig;
import brocard.webhooks.outbox.OutboxPublisher;
import brocard.webhooks.outbox.OutboxWriter;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Group commit for validated webhooks: requests hand their {@link StoreRequest} over and wait, without a thread, for
 * the future the writer completes after the commit. Two lanes, each with its own queue, thread and connection:
 * 3-D Secure codes never wait behind a flood of payments. A full queue is answered at once (503), never buffered
 * without bound.
 */
@ApplicationScoped
public class IngestWriter {

    private static final long STOP_WAIT_MILLIS = 10_000;

    private final WriteLane events;
    private final WriteLane otp;

    public IngestWriter(Instance<WebhookIngestor<?>> all, DedupConflicts conflicts, OutboxWriter outbox,
                        OutboxPublisher publisher, IngestConfig config, AgroalDataSource dataSource,
                        MeterRegistry registry) {
        Map<WebhookKind, WebhookIngestor<?>> ingestors = new EnumMap<>(WebhookKind.class);
        all.forEach(ingestor -> ingestors.put(ingestor.kind(), ingestor));
        WriteBatch batch = new WriteBatch(ingestors, conflicts, outbox);
        this.events = new WriteLane("events", config.queueCapacity(), config, dataSource, batch,
                publisher::eventsCommitted, registry);
        this.otp = new WriteLane("otp", config.otpQueueCapacity(), config, dataSource, batch,
                publisher::eventsCommitted, registry);
    }

    void start(@Observes StartupEvent event) {
        events.start();
        otp.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        events.stop(STOP_WAIT_MILLIS);
        otp.stop(STOP_WAIT_MILLIS);
    }

    /**
     * @return completes with the outcome once the webhook's batch is committed, or exceptionally with
     * {@link StoreUnavailableException} (queue full, waited too long, batch failed)
     */
    public CompletableFuture<IngestResult> submit(StoreRequest<?> request) {
        WriteLane lane = request.kind() == WebhookKind.OTP_CODE ? otp : events;
        if (!lane.offer(request)) {
            request.result().completeExceptionally(new StoreUnavailableException(lane.isRunning()
                    ? StoreUnavailableException.Reason.QUEUE_FULL : StoreUnavailableException.Reason.SHUTTING_DOWN));
        }
        return request.result();
    }
}
