package brocard.webhooks.relay;

import brocard.webhooks.config.RelayConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Liveness of the OTP relay's Kafka consumer. DOWN when the consumer is closed or its polling thread does not answer
 * (the connector closes it for good after the ack timeout, and nothing reopens it: only a restart does), or when an
 * event has waited longer than the ack timeout (the relay is stuck and the connector is about to give up).
 *
 * <p>Liveness, not readiness: a restart is the only cure, while the webhook endpoints of the same pod work fine and
 * must stay in the ingress until then. A Kafka outage does not make it DOWN: the consumer keeps polling (emptily).
 */
@Liveness
@ApplicationScoped
public class RelayLiveness implements HealthCheck {

    /**
     * How long the consumer's polling thread may take to run a trivial task: it polls with a 1 s timeout, and the
     * answer must come within the liveness probe's own timeout (3 s in the chart).
     */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final KafkaClientService kafka;
    private final RelayProgress progress;
    private final RelayConfig config;
    private final Duration ackTimeout;
    private volatile boolean consumerUp = true;

    public RelayLiveness(
            KafkaClientService kafka,
            RelayProgress progress,
            RelayConfig config,
            MeterRegistry registry,
            @ConfigProperty(name = AckTimeoutConfigSourceFactory.PROPERTY) long ackTimeoutMillis) {
        this.kafka = kafka;
        this.progress = progress;
        this.config = config;
        this.ackTimeout = Duration.ofMillis(ackTimeoutMillis);
        Gauge.builder(RelayMetricNames.CONSUMER_UP, this, liveness -> liveness.consumerUp ? 1 : 0)
                .description("1 while the relay's Kafka consumer is open and polling (0: closed or stuck; restart)")
                .register(registry);
        TimeGauge.builder(RelayMetricNames.ACK_TIMEOUT, ackTimeout, TimeUnit.MILLISECONDS, Duration::toMillis)
                .description("Longest an event may stay unacknowledged (code TTL + margin)")
                .register(registry);
    }

    public Duration ackTimeout() {
        return ackTimeout;
    }

    /** Keeps the gauge current between health probes. */
    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void probe() {
        consumerUp = !config.enabled() || consumerAnswers() && !stuck();
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("otp-relay");
        if (!config.enabled()) {
            return response.up().withData("relay", "disabled").build();
        }
        boolean answers = consumerAnswers();
        boolean stuck = stuck();
        consumerUp = answers && !stuck;
        return response.status(consumerUp)
                .withData("consumer", answers ? "polling" : "closed or not answering")
                .withData("unacked", progress.unacked())
                .withData("oldestUnackedMillis", progress.oldestUnacked().toMillis())
                .withData("ackTimeoutMillis", ackTimeout.toMillis())
                .build();
    }

    private boolean stuck() {
        return progress.oldestUnacked().compareTo(ackTimeout) > 0;
    }

    /**
     * Runs a trivial task on the consumer's polling thread: fails once the connector closed the consumer (the
     * thread is gone and the client closed), and times out if the thread is wedged. Before the channel has started
     * there is no consumer yet: that is starting, not dead.
     */
    private boolean consumerAnswers() {
        KafkaConsumer<Object, Object> consumer;
        try {
            consumer = kafka.getConsumer(OtpRelay.CHANNEL);
        } catch (RuntimeException notStarted) {
            return true;
        }
        if (consumer == null) {
            return true;
        }
        try {
            consumer.runOnPollingThread((Function<Consumer<Object, Object>, Object>) Consumer::assignment)
                    .await()
                    .atMost(PROBE_TIMEOUT);
            return true;
        } catch (RuntimeException closedOrWedged) {
            return false;
        }
    }
}
