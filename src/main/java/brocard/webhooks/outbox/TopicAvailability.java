package brocard.webhooks.outbox;

import brocard.webhooks.concurrency.NamedThreads;
import brocard.webhooks.config.TopicsConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether Kafka can take a row's record now: its topic exists and the partition its key maps to has a leader. Asked
 * of the cluster (an admin client with the producer's own connection settings) on a thread of its own, every few
 * seconds per topic. Not read from the producer's metadata cache: while no record is sent to a partition the producer
 * never refreshes it, and a partition that got its leader back would look leaderless for minutes.
 * <p>
 * Why: a record for a topic the producer has no metadata for blocks the producer's single sending thread for
 * {@code max.block.ms}, and every other record of the channel (every topic, every key) waits behind it; a record for a
 * partition without a leader holds its whole batch until {@code delivery.timeout.ms}. The publisher therefore sends a
 * row only when this says {@link State#AVAILABLE}; the other rows wait for a retry, so a missing topic or an
 * unavailable partition delays only its own rows.
 */
@ApplicationScoped
public class TopicAvailability {

    private static final Logger LOG = Logger.getLogger(TopicAvailability.class);
    /** A topic's partitions and leaders are asked again this often (one small admin request). */
    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);

    private static final long CHECK_TIMEOUT_SECONDS = 5;
    /** A publisher thread waits this long for a first check (a present topic answers in milliseconds). */
    private static final long FIRST_CHECK_WAIT_MILLIS = 500;

    /** What the publisher does with a row. */
    public enum State {
        /** Send it. */
        AVAILABLE,
        /** Its topic is missing (or unreachable) or its partition has no leader: retry later, do not send. */
        UNAVAILABLE,
        /** Not known yet (first check still running): retry shortly, do not send. */
        UNKNOWN
    }

    /** @param leaders per partition number, whether it has a leader; null when the topic is missing */
    private record Check(boolean[] leaders, long checkedNanos) {}

    private final KafkaClientService clients;
    private final TopicsConfig topics;
    private final Map<String, Check> checks = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Check>> running = new ConcurrentHashMap<>();
    private Admin admin; // created and used on the checker thread only
    private final ExecutorService checker = Executors.newSingleThreadExecutor(NamedThreads.named("outbox-topic-check"));

    public TopicAvailability(KafkaClientService clients, TopicsConfig topics) {
        this.clients = clients;
        this.topics = topics;
    }

    void warmUp(@Observes StartupEvent event) {
        refresh(PublishLane.OTP, topics.otp());
        refresh(PublishLane.EVENTS, topics.payments());
        refresh(PublishLane.EVENTS, topics.refunds());
    }

    /** Never blocks longer than a first check's short wait. */
    public State of(PublishLane lane, String topic, String key) {
        Check check = checks.get(topic);
        if (check == null || System.nanoTime() - check.checkedNanos() > REFRESH_NANOS) {
            CompletableFuture<Check> next = refresh(lane, topic);
            if (check == null) {
                try {
                    check = next.get(FIRST_CHECK_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    return State.UNKNOWN;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return State.UNKNOWN;
                } catch (ExecutionException e) {
                    return State.UNKNOWN;
                }
            }
        }
        if (check.leaders() == null || check.leaders().length == 0) {
            return State.UNAVAILABLE;
        }
        return check.leaders()[partitionOf(key, check.leaders().length)] ? State.AVAILABLE : State.UNAVAILABLE;
    }

    /**
     * The partition Kafka's default partitioner picks for a keyed record with a {@code StringSerializer} key (the
     * configuration of both outbox channels): murmur2 of the key's UTF-8 bytes, over all partitions of the topic.
     */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Starts a check unless one is running; at most one per topic, all on the checker thread. */
    private synchronized CompletableFuture<Check> refresh(PublishLane lane, String topic) {
        CompletableFuture<Check> current = running.get(topic);
        if (current != null && !current.isDone()) {
            return current;
        }
        CompletableFuture<Check> next = CompletableFuture.supplyAsync(() -> check(lane, topic), checker);
        running.put(topic, next);
        return next;
    }

    private Check check(PublishLane lane, String topic) {
        Check before = checks.get(topic);
        Check check;
        try {
            TopicDescription description = admin(lane)
                    .describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(CHECK_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .get(topic);
            boolean[] leaders = new boolean[description.partitions().size()];
            for (TopicPartitionInfo partition : description.partitions()) {
                leaders[partition.partition()] =
                        partition.leader() != null && !partition.leader().isEmpty();
            }
            check = new Check(leaders, System.nanoTime());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                return keep(topic, before); // cannot tell (Kafka unreachable): sends will tell
            }
            check = new Check(null, System.nanoTime());
        } catch (TimeoutException | RuntimeException e) {
            return keep(topic, before);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return keep(topic, before);
        }
        checks.put(topic, check);
        log(topic, before, check);
        return check;
    }

    /** The last answer stays valid until Kafka answers again; with none, the topic counts as unavailable. */
    private Check keep(String topic, Check before) {
        Check kept = new Check(before == null ? null : before.leaders(), System.nanoTime());
        checks.put(topic, kept);
        return kept;
    }

    private static void log(String topic, Check before, Check now) {
        String state = describe(now);
        if (before != null && state.equals(describe(before))) {
            return; // only changes are logged
        }
        if (state.equals("available")) {
            LOG.infof("Kafka topic %s is available (%d partitions)", topic, now.leaders().length);
        } else {
            LOG.warnf(
                    "Kafka topic %s: %s; its outbox rows there wait, other topics and partitions go on", topic, state);
        }
    }

    private static String describe(Check check) {
        if (check.leaders() == null) {
            return "missing";
        }
        int leaderless = 0;
        for (boolean leader : check.leaders()) {
            leaderless += leader ? 0 : 1;
        }
        return leaderless == 0 ? "available" : leaderless + " partition(s) without a leader";
    }

    /** An admin client with the connection settings of the lane's producer (bootstrap servers, TLS, SASL). */
    private Admin admin(PublishLane lane) {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>();
            clients.getProducer(lane.channel()).configuration().forEach((name, value) -> {
                if (AdminClientConfig.configNames().contains(name) && !"client.id".equals(name)) {
                    config.put(name, value);
                }
            });
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "brocard-outbox-topic-check");
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int)
                    TimeUnit.SECONDS.toMillis(CHECK_TIMEOUT_SECONDS));
            admin = Admin.create(config);
        }
        return admin;
    }

    @PreDestroy
    void close() {
        checker.submit(() -> {
            if (admin != null) {
                admin.close(Duration.ofSeconds(1));
            }
        });
        checker.shutdown();
    }
}
