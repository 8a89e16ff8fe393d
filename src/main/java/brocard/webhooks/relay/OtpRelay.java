package brocard.webhooks.relay;

import brocard.webhooks.concurrency.Backoff;
import brocard.webhooks.concurrency.NamedThreads;
import brocard.webhooks.config.RelayConfig;
import brocard.webhooks.relay.channel.OtpMessage;
import brocard.webhooks.relay.directory.BrocardUserRoutes;
import brocard.webhooks.relay.directory.RecipientDirectory;
import brocard.webhooks.relay.directory.RecipientDirectory.RoutePlan;
import brocard.webhooks.relay.directory.RouteTarget;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Consumes {@code brocard.otp} (consumer group {@code brocard-otp-relay}) and hands each code to its recipient's
 * enabled routes. A recipient not in the directory is, if {@code brocard.relay.resolve-unknown-recipients} is on,
 * looked up in Brocard's REST API and e-mailed at the address Brocard holds ({@link BrocardUserRoutes}); otherwise, or
 * when that gives nothing, the code goes to the fallback recipient's routes
 * ({@code brocard.relay.fallback-recipient-id}). A code with no route at all is recorded as unroutable and counted.
 *
 * <p>Each event is taken off the stream at once and worked on concurrently; it is acknowledged only when every one of
 * its deliveries is final. With the throttled commit strategy the committed offset never passes an unfinished code,
 * so a crash redelivers exactly those, and the {@link DeliveryLog} skips routes that already have it.
 */
@ApplicationScoped
public class OtpRelay {

    public static final String CHANNEL = "otp-relay";
    private static final Logger LOG = Logger.getLogger(OtpRelay.class);
    /** Recipient lookups failing (database trouble): 100 ms, doubling, at most 5 s, until the code expires. */
    private static final Backoff LOOKUP_BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    private final OtpEventReader reader;
    private final RecipientDirectory directory;
    private final BrocardUserRoutes brocardUsers;
    private final DeliveryLog log;
    private final OtpDispatcher dispatcher;
    private final RelayConfig config;
    private final MeterRegistry registry;
    private final RelayProgress progress;
    private final ExecutorService intake;
    private final Semaphore inFlight;

    public OtpRelay(
            OtpEventReader reader,
            RecipientDirectory directory,
            BrocardUserRoutes brocardUsers,
            DeliveryLog log,
            OtpDispatcher dispatcher,
            RelayConfig config,
            MeterRegistry registry,
            RelayProgress progress) {
        this.reader = reader;
        this.directory = directory;
        this.brocardUsers = brocardUsers;
        this.log = log;
        this.dispatcher = dispatcher;
        this.config = config;
        this.registry = registry;
        this.progress = progress;
        this.inFlight = new Semaphore(config.maxInFlight());
        this.intake = Executors.newFixedThreadPool(config.intakeThreads(), NamedThreads.numbered("otp-relay-intake"));
    }

    /**
     * Returns at once while fewer than {@code max-in-flight} events are being worked on; otherwise only when one
     * finishes, which holds the stream (backpressure) instead of queueing without bound.
     */
    @Incoming(CHANNEL)
    public CompletionStage<Void> onEvent(Message<String> event) {
        long token = progress.taken();
        Message<String> tracked = event.withAck(() -> {
            progress.acknowledged(token);
            inFlight.release();
            return event.ack();
        });
        if (inFlight.tryAcquire()) {
            intake.execute(() -> relay(tracked, 0));
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(
                () -> {
                    inFlight.acquireUninterruptibly();
                    relay(tracked, 0);
                },
                intake);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        intake.shutdownNow();
    }

    /** The record key: the recipient id, as the outbox publishes it (null if the record has none). */
    private static String key(Message<String> event) {
        return event.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(metadata ->
                        metadata.getKey() == null ? null : metadata.getKey().toString())
                .orElse(null);
    }

    private void relay(Message<String> event, int attempt) {
        OtpMessage message;
        try {
            message = reader.read(key(event), event.getPayload());
        } catch (OtpEventReader.TamperedEventException e) {
            // Someone who can write to the topic replayed a code towards another recipient or past its expiry.
            LOG.errorf(
                    "Refusing otp %d: %s; nothing delivered (altered or replayed brocard.otp record)",
                    e.otpId(), e.getMessage());
            registry.counter(RelayMetricNames.DELIVERIES, "channel", "none", "outcome", "tampered")
                    .increment();
            event.ack();
            return;
        } catch (RuntimeException e) {
            // Not ours to fix by retrying: count it, keep going (the raw event stays in Kafka and the outbox).
            LOG.errorf(
                    "Skipping an unreadable brocard.otp event (%s: %s)",
                    e.getClass().getSimpleName(), e.getMessage());
            registry.counter(RelayMetricNames.DELIVERIES, "channel", "none", "outcome", "failed")
                    .increment();
            event.ack();
            return;
        }
        try {
            // Unknown recipient: the fallback's routes. Known but every route disabled: the operator's choice, so
            // undeliverable (and alert-worthy), not a silent redirect.
            Optional<RoutePlan> own =
                    directory.routesFor(message.recipientId(), message.otpId(), message.codeFingerprint());
            // Unknown recipient and the look-up is on: the address Brocard holds, before any fallback.
            Optional<RouteTarget> resolved =
                    own.isPresent() ? Optional.empty() : brocardUsers.emailRouteFor(message.recipientId());
            boolean fallback = own.isEmpty() && resolved.isEmpty();
            RoutePlan plan = own.or(() -> resolved.map(route -> new RoutePlan(List.of(route), List.of(route))))
                    .orElseGet(() -> config.fallbackRecipientId()
                            .flatMap(id -> directory.routesFor(id, message.otpId(), message.codeFingerprint()))
                            .orElse(new RoutePlan(List.of(), List.of())));
            if (plan.enabled().isEmpty()) {
                if (log.recordUnroutable(message)) {
                    registry.counter(RelayMetricNames.DELIVERIES, "channel", "none", "outcome", "unroutable")
                            .increment();
                    LOG.warnf(
                            "otp %d for recipient %d has no route (and no fallback route): undeliverable",
                            message.otpId(), message.recipientId());
                }
                event.ack();
                return;
            }
            List<RouteTarget> routes = plan.toAttempt(); // all but those a redelivered event already finished
            if (fallback || resolved.isPresent()) {
                String outcome = fallback ? "fallback" : "resolved";
                routes.forEach(route -> registry.counter(
                                RelayMetricNames.DELIVERIES,
                                "channel",
                                route.channel().wireName(),
                                "outcome",
                                outcome)
                        .increment());
            }
            dispatcher.deliver(message, routes, fallback).whenComplete((ignored, error) -> event.ack());
        } catch (RuntimeException e) {
            // Typically the database: the code must not be dropped, so try again until it expires.
            if (Instant.now().isAfter(message.expiresAt())) {
                LOG.errorf(
                        "otp %d expired while its recipient could not be looked up (%s)",
                        message.otpId(), e.getClass().getName());
                registry.counter(RelayMetricNames.DELIVERIES, "channel", "none", "outcome", "expired")
                        .increment();
                event.ack();
                return;
            }
            LOG.warnf(
                    "otp %d: lookup failed (%s), retrying",
                    message.otpId(), e.getClass().getName());
            CompletableFuture.delayedExecutor(LOOKUP_BACKOFF.millisBefore(attempt + 1), TimeUnit.MILLISECONDS, intake)
                    .execute(() -> relay(event, attempt + 1));
        }
    }
}
