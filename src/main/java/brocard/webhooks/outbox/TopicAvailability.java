package brocard.webhooks.outbox;

import brocard.webhooks.config.TopicsConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
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
 * Whether Kafka can take a row's record now: its topic exists and the partition its key maps to has a leader. Learnt
 * from the producer's own metadata, on a thread of its own.
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
    /** A present topic's partitions and leaders are read again from the producer's metadata this often (cheap). */
    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);
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

    /** @param partitions null when the topic is missing or its metadata could not be had */
    private record Check(List<PartitionInfo> partitions, long checkedNanos) {
    }

    private final KafkaClientService clients;
    private final TopicsConfig topics;
    private final Map<String, Check> checks = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Check>> running = new ConcurrentHashMap<>();
    private final ExecutorService checker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "outbox-topic-check");
        thread.setDaemon(true);
        return thread;
    });

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
        if (check.partitions() == null || check.partitions().isEmpty()) {
            return State.UNAVAILABLE;
        }
        int partition = partitionOf(key, check.partitions().size());
        for (PartitionInfo info : check.partitions()) {
            if (info.partition() == partition) {
                return info.leader() != null && !info.leader().isEmpty() ? State.AVAILABLE : State.UNAVAILABLE;
            }
        }
        return State.UNAVAILABLE;
    }

    /**
     * The partition Kafka's default partitioner picks for a keyed record with a {@code StringSerializer} key (the
     * configuration of both outbox channels): murmur2 of the key's UTF-8 bytes, over all partitions of the topic.
     */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Starts a check unless one is running; at most one per topic, all on the checker thread. */
    private CompletableFuture<Check> refresh(PublishLane lane, String topic) {
        return running.computeIfAbsent(topic, t -> CompletableFuture.supplyAsync(() -> check(lane, t), checker)
                .whenComplete((check, error) -> running.remove(t)));
    }

    private Check check(PublishLane lane, String topic) {
        List<PartitionInfo> partitions;
        try {
            // Blocks up to max.block.ms when the producer has no metadata for the topic: here, not on a publisher
            // thread nor on the producer's sending thread.
            partitions = clients.getProducer(lane.channel()).unwrap().partitionsFor(topic);
        } catch (RuntimeException e) {
            partitions = null;
        }
        Check check = new Check(partitions, System.nanoTime());
        Check before = checks.put(topic, check);
        boolean available = partitions != null && !partitions.isEmpty();
        if (before == null || (before.partitions() != null) != available) {
            if (available) {
                LOG.infof("Kafka topic %s is available (%d partitions)", topic, partitions.size());
            } else {
                LOG.warnf("Kafka topic %s is missing or unreachable: its outbox rows wait, other topics go on", topic);
            }
        }
        return check;
    }
}
