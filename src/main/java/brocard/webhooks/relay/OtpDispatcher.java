package brocard.webhooks.relay;

import brocard.webhooks.concurrency.Backoff;
import brocard.webhooks.concurrency.NamedThreads;
import brocard.webhooks.config.RelayConfig;
import brocard.webhooks.relay.channel.DeliveryChannel;
import brocard.webhooks.relay.channel.DeliveryException;
import brocard.webhooks.relay.channel.OtpMessage;
import brocard.webhooks.relay.directory.Channel;
import brocard.webhooks.relay.directory.RouteTarget;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs deliveries: each (code, route) on its own worker, retried with backoff until it is accepted, refused for good,
 * or the code expires. Retries wait on a timer, not on a worker, so a failing channel ties up no thread between
 * attempts and never delays another recipient's code.
 */
@ApplicationScoped
public class OtpDispatcher {

    private static final Logger LOG = Logger.getLogger(OtpDispatcher.class);
    /** How long after a code's expiry its final status is still retried into the database. */
    private static final Duration RECORDING_GRACE = Duration.ofMinutes(1);

    private final Map<Channel, DeliveryChannel> channels = new EnumMap<>(Channel.class);
    private final Map<Channel, Timer> latency = new EnumMap<>(Channel.class);
    private final DeliveryLog log;
    private final RelayConfig config;
    private final Backoff retryBackoff;
    private final MeterRegistry registry;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;

    public OtpDispatcher(Instance<DeliveryChannel> all, DeliveryLog log, RelayConfig config, MeterRegistry registry) {
        all.forEach(channel -> channels.put(channel.channel(), channel));
        // Registered up front, at zero: an alert on increase() would miss a counter's very first increment.
        for (Channel channel : Channel.values()) {
            latency.put(
                    channel,
                    Timer.builder(RelayMetricNames.LATENCY)
                            .tag("channel", channel.wireName())
                            .description("Webhook receipt to acceptance by the channel")
                            .publishPercentileHistogram()
                            .register(registry));
            for (String outcome : List.of(
                    "delivered", "retried", "failed", "expired", "stale", "superseded", "fallback", "resolved")) {
                registry.counter(RelayMetricNames.DELIVERIES, "channel", channel.wireName(), "outcome", outcome);
            }
        }
        for (String outcome : List.of("unroutable", "failed", "expired", "tampered")) {
            registry.counter(RelayMetricNames.DELIVERIES, "channel", "none", "outcome", outcome);
        }
        for (String outcome : List.of(
                "held_elsewhere",
                "already_finished",
                "taken_over_between_attempts",
                "taken_over_mid_attempt",
                "lost")) {
            registry.counter(RelayMetricNames.CLAIMS, "outcome", outcome);
        }
        this.log = log;
        this.config = config;
        this.retryBackoff = new Backoff(config.retryInitialBackoff(), config.retryMaxBackoff());
        this.registry = registry;
        this.workers = Executors.newFixedThreadPool(config.workers(), NamedThreads.numbered("otp-delivery"));
        this.timer = Executors.newSingleThreadScheduledExecutor(NamedThreads.named("otp-delivery-retry"));
    }

    /** Completes when every route's delivery is final (never exceptionally). */
    public CompletableFuture<Void> deliver(OtpMessage message, List<RouteTarget> routes, boolean fallback) {
        CompletableFuture<?>[] deliveries = routes.stream()
                .map(route -> new Attempts(message, route, fallback).start())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(deliveries);
    }

    void stop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
        workers.shutdownNow();
    }

    /** The attempts at one (code, route). */
    private final class Attempts {
        private final OtpMessage message;
        private final RouteTarget route;
        private final boolean fallback;
        private final Instant startedAt = Instant.now();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private int attempts;
        /** Whether this instance holds the (code, route) claim in the database. */
        private boolean claimed;

        private boolean waitedForOwner;

        Attempts(OtpMessage message, RouteTarget route, boolean fallback) {
            this.message = message;
            this.route = route;
            this.fallback = fallback;
        }

        CompletableFuture<Void> start() {
            workers.execute(this::attempt);
            return done;
        }

        private void attempt() {
            try {
                // No code: the event was published after its secret was purged (the TTL had passed).
                if (message.code() == null || Instant.now().isAfter(message.expiresAt())) {
                    finish(attempts == 0 ? DeliveryOutcome.STALE : DeliveryOutcome.EXPIRED, "expired");
                    return;
                }
                if (!mayAttempt()) {
                    return;
                }
                attempts++;
                channels.get(route.channel()).send(route, message);
                finish(DeliveryOutcome.DELIVERED, null);
            } catch (DeliveryException e) {
                if (e.isRetryable()) {
                    retryLater(e.getMessage());
                } else {
                    finish(DeliveryOutcome.FAILED, e.getMessage());
                }
            } catch (RuntimeException e) {
                // A bug or the database: try again rather than drop the code.
                LOG.warnf(
                        "Delivery of otp %d to route %d failed unexpectedly (%s)",
                        message.otpId(), route.routeId(), e.getClass().getName());
                retryLater(e.getClass().getSimpleName());
            }
        }

        /**
         * Whether this instance may make the next attempt: before the first one it claims the (code, route) in the
         * database; before a retry it renews its claim. Otherwise this copy steps aside (a re-issued code of this id
         * already reached the relay, the route is finished or another instance owns it) or waits for the other
         * owner's lease.
         */
        private boolean mayAttempt() {
            if (claimed) {
                // A re-issued code of this id reached the relay meanwhile: this one is stale, never send it after that.
                if (log.newerCodeSeen(message)) {
                    finish(DeliveryOutcome.SUPERSEDED, "superseded");
                    return false;
                }
                if (log.renewForAttempt(message, route, attempts)) {
                    return true;
                }
                // This instance stalled past its lease and another took over: the other one sends now.
                LOG.warnf(
                        "otp %d route %d: claim taken over by another relay instance; stepping aside",
                        message.otpId(), route.routeId());
                countClaim("lost");
                done.complete(null);
                return false;
            }
            DeliveryLog.Claim claim = log.claim(message, route, fallback);
            switch (claim) {
                case OWNED -> claimed = true;
                case SUPERSEDED -> finish(DeliveryOutcome.SUPERSEDED, "superseded");
                case TAKEN_OVER_BETWEEN_ATTEMPTS, TAKEN_OVER_MID_ATTEMPT -> {
                    claimed = true;
                    countClaim(
                            claim == DeliveryLog.Claim.TAKEN_OVER_MID_ATTEMPT
                                    ? "taken_over_mid_attempt"
                                    : "taken_over_between_attempts");
                    LOG.warnf(
                            "otp %d route %d: took over the claim of a relay instance whose lease ran out (%s)",
                            message.otpId(), route.routeId(), claim.name().toLowerCase());
                }
                case FINISHED -> {
                    countClaim("already_finished");
                    done.complete(null);
                }
                case HELD_ELSEWHERE -> {
                    if (!waitedForOwner) {
                        waitedForOwner = true;
                        countClaim("held_elsewhere");
                    }
                    // Not acknowledged meanwhile: if the owner dies, this copy is the one that finishes the route.
                    timer.schedule(
                            () -> workers.execute(this::attempt),
                            config.claimRecheck().toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            }
            return claimed;
        }

        private void retryLater(String reason) {
            count("retried");
            long backoff = retryBackoff.millisBefore(attempts);
            long untilExpiry =
                    Duration.between(Instant.now(), message.expiresAt()).toMillis();
            long wait = Math.max(0, Math.min(backoff, untilExpiry + 1));
            if (claimed) {
                try {
                    if (!log.waitingForRetry(message, route, attempts, wait)) {
                        LOG.warnf(
                                "otp %d route %d: claim taken over by another relay instance; stepping aside",
                                message.otpId(), route.routeId());
                        countClaim("lost");
                        done.complete(null);
                        return;
                    }
                } catch (RuntimeException e) {
                    // The lease then runs out sooner; the next attempt's renewal tells whether it is still ours.
                    LOG.debugf(
                            "otp %d: pending row not recorded (%s)",
                            message.otpId(), e.getClass().getName());
                }
            }
            LOG.debugf("otp %d route %d: %s, retry in %d ms", message.otpId(), route.routeId(), reason, wait);
            timer.schedule(() -> workers.execute(this::attempt), wait, TimeUnit.MILLISECONDS);
        }

        private void finish(DeliveryOutcome outcome, String error) {
            try {
                if (log.finish(message, route, fallback, outcome, attempts, startedAt, error)) {
                    count(outcome.wireName());
                    if (outcome == DeliveryOutcome.DELIVERED) {
                        latency.get(route.channel()).record(Duration.between(message.receivedAt(), Instant.now()));
                    } else if (outcome == DeliveryOutcome.SUPERSEDED) {
                        LOG.infof(
                                "otp %d to route %d (%s) not sent: a newer code of the same id was re-issued",
                                message.otpId(),
                                route.routeId(),
                                route.channel().wireName());
                    } else {
                        LOG.warnf(
                                "otp %d to route %d (%s) %s after %d attempt(s): %s",
                                message.otpId(),
                                route.routeId(),
                                route.channel().wireName(),
                                outcome.wireName(),
                                attempts,
                                error);
                    }
                }
                done.complete(null);
            } catch (RuntimeException e) {
                // Typically the database. Retried, but not forever: the event must be acknowledged eventually or
                // Kafka's consumer is closed for an unprocessed record (throttled commits).
                if (Instant.now().isAfter(message.expiresAt().plus(RECORDING_GRACE))) {
                    LOG.errorf(
                            "Gave up recording that otp %d to route %d was %s (%s)",
                            message.otpId(),
                            route.routeId(),
                            outcome.wireName(),
                            e.getClass().getName());
                    count(outcome.wireName());
                    done.complete(null);
                    return;
                }
                LOG.warnf(
                        "Could not record the delivery of otp %d to route %d (%s); retrying",
                        message.otpId(), route.routeId(), e.getClass().getName());
                timer.schedule(() -> workers.execute(() -> finish(outcome, error)), 1, TimeUnit.SECONDS);
            }
        }

        private void countClaim(String outcome) {
            registry.counter(RelayMetricNames.CLAIMS, "outcome", outcome).increment();
        }

        private void count(String outcome) {
            registry.counter(
                            RelayMetricNames.DELIVERIES,
                            "channel",
                            route.channel().wireName(),
                            "outcome",
                            outcome)
                    .increment();
        }
    }
}
