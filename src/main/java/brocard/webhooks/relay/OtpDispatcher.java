package brocard.webhooks.relay;

import brocard.webhooks.config.RelayConfig;
import brocard.webhooks.relay.channel.DeliveryChannel;
import brocard.webhooks.relay.channel.DeliveryException;
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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs deliveries: each (code, route) on its own worker, retried with backoff until it is accepted, refused for good,
 * or the code expires. Retries wait on a timer, not on a worker, so a failing channel ties up no thread between
 * attempts and never delays another recipient's code.
 */
@ApplicationScoped
public class OtpDispatcher {

    private static final Logger LOG = Logger.getLogger(OtpDispatcher.class);

    private final Map<Channel, DeliveryChannel> channels = new EnumMap<>(Channel.class);
    private final DeliveryLog log;
    private final RelayConfig config;
    private final MeterRegistry registry;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;

    public OtpDispatcher(Instance<DeliveryChannel> all, DeliveryLog log, RelayConfig config, MeterRegistry registry) {
        all.forEach(channel -> channels.put(channel.channel(), channel));
        this.log = log;
        this.config = config;
        this.registry = registry;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(config.workers(), r -> daemon(r, "otp-delivery-" + n.incrementAndGet()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "otp-delivery-retry"));
    }

    /** Completes when every route's delivery is final (never exceptionally). */
    public CompletableFuture<Void> deliver(OtpMessage message, List<RouteTarget> routes) {
        CompletableFuture<?>[] deliveries = routes.stream()
                .map(route -> new Attempts(message, route).start()).toArray(CompletableFuture[]::new);
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
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private int attempts;

        Attempts(OtpMessage message, RouteTarget route) {
            this.message = message;
            this.route = route;
        }

        CompletableFuture<Void> start() {
            workers.execute(this::attempt);
            return done;
        }

        private void attempt() {
            try {
                // No code: the event was published after its secret was purged (the TTL had passed).
                if (message.code() == null || Instant.now().isAfter(message.expiresAt())) {
                    finish(DeliveryOutcome.EXPIRED, "expired");
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
                LOG.warnf("Delivery of otp %d to route %d failed unexpectedly (%s)", message.otpId(), route.routeId(),
                        e.getClass().getName());
                retryLater(e.getClass().getSimpleName());
            }
        }

        private void retryLater(String reason) {
            count("retried");
            long backoff = Math.min(config.retryMaxBackoff().toMillis(),
                    config.retryInitialBackoff().toMillis() << Math.min(attempts - 1, 10));
            long untilExpiry = Duration.between(Instant.now(), message.expiresAt()).toMillis();
            LOG.debugf("otp %d route %d: %s, retry in %d ms", message.otpId(), route.routeId(), reason, backoff);
            timer.schedule(() -> workers.execute(this::attempt), Math.max(0, Math.min(backoff, untilExpiry + 1)),
                    TimeUnit.MILLISECONDS);
        }

        private void finish(DeliveryOutcome outcome, String error) {
            try {
                if (log.finish(message, route, outcome, attempts, error)) {
                    count(outcome.wireName());
                    if (outcome == DeliveryOutcome.DELIVERED) {
                        Timer.builder("brocard.relay.latency").tag("channel", route.channel().wireName())
                                .description("Webhook receipt to acceptance by the channel")
                                .publishPercentileHistogram().register(registry)
                                .record(Duration.between(message.receivedAt(), Instant.now()));
                    } else {
                        LOG.warnf("otp %d to route %d (%s) %s after %d attempt(s): %s", message.otpId(),
                                route.routeId(), route.channel().wireName(), outcome.wireName(), attempts, error);
                    }
                }
                done.complete(null);
            } catch (RuntimeException e) {
                LOG.warnf("Could not record the delivery of otp %d to route %d (%s); retrying", message.otpId(),
                        route.routeId(), e.getClass().getName());
                timer.schedule(() -> workers.execute(() -> finish(outcome, error)), 1, TimeUnit.SECONDS);
            }
        }

        private void count(String outcome) {
            registry.counter("brocard.relay.deliveries", "channel", route.channel().wireName(), "outcome", outcome)
                    .increment();
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
