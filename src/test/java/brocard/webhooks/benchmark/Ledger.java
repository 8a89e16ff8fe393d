package brocard.webhooks.benchmark;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Every request of one run, by index (its webhook id is {@code firstId + index}): when it was sent (or meant to be),
 * when and how it was answered, and when its event reached Kafka. Written by the load generator's and the Kafka
 * reader's threads, read once the run is over.
 */
final class Ledger {

    static final int PENDING = 0;
    static final int ACCEPTED = 1;
    static final int DUPLICATE = 2;
    static final int UNAVAILABLE = 3;
    static final int OTHER = 4;
    static final int ERROR = 5;
    static final int UNSENT = 6;
    static final int OUTCOMES = 7;

    /** Ids stay below 2^31, like Brocard's; each ledger takes its own range. */
    private static final AtomicLong NEXT_FIRST_ID = new AtomicLong(1_000_000_000L);
    /** Wall clock at a known nanoTime: converts answer times to the Kafka timestamps' clock. */
    private static final long ORIGIN_WALL_MILLIS = System.currentTimeMillis();

    private static final long ORIGIN_NANOS = System.nanoTime();

    final String name;
    final long firstId;
    final int capacity;
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger inKafka = new AtomicInteger();
    private final AtomicLongArray startNanos;
    private final AtomicLongArray answerNanos;
    private final AtomicLongArray kafkaMillis;
    private final AtomicIntegerArray outcomes;
    private final Map<String, AtomicInteger> unexpected = new ConcurrentHashMap<>();
    private final Map<String, String> firstSamples = new ConcurrentHashMap<>();

    Ledger(String name, int capacity) {
        this.name = name;
        this.capacity = capacity;
        this.firstId = NEXT_FIRST_ID.getAndAdd(capacity);
        startNanos = new AtomicLongArray(capacity);
        answerNanos = new AtomicLongArray(capacity);
        kafkaMillis = new AtomicLongArray(capacity);
        outcomes = new AtomicIntegerArray(capacity);
    }

    long id(int index) {
        return firstId + index;
    }

    /** The next index, or -1 when the ledger is full. */
    int issue() {
        int index = issued.getAndIncrement();
        return index < capacity ? index : -1;
    }

    int issued() {
        return Math.min(issued.get(), capacity);
    }

    void started(int index, long nanos) {
        startNanos.set(index, nanos);
    }

    void answered(int index, long nanos, int status, String body) {
        answerNanos.set(index, nanos);
        int outcome;
        if (status == 200) {
            outcome = body != null && body.contains("\"duplicate\"") ? DUPLICATE : ACCEPTED;
        } else if (status == 503) {
            outcome = UNAVAILABLE;
        } else {
            outcome = status < 0 ? ERROR : OTHER;
            String kind = status < 0 ? body.split(":", 2)[0] : "HTTP " + status;
            unexpected.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
            String sample = String.valueOf(body);
            firstSamples.putIfAbsent(kind, sample.length() > 200 ? sample.substring(0, 200) + "…" : sample);
        }
        outcomes.set(index, outcome);
        answered.incrementAndGet();
    }

    /** An open-loop request whose run ended before a connection was free for it. */
    void unsent(int index, long intendedNanos, long windowEndNanos) {
        startNanos.set(index, intendedNanos);
        answerNanos.set(index, windowEndNanos);
        outcomes.set(index, UNSENT);
    }

    int answeredCount() {
        return answered.get();
    }

    /** Records a Kafka record of this ledger's id; false if the id is not this ledger's. */
    boolean kafka(long id, long timestampMillis) {
        long index = id - firstId;
        if (index < 0 || index >= capacity) {
            return false;
        }
        if (kafkaMillis.compareAndSet((int) index, 0, timestampMillis)) {
            inKafka.incrementAndGet();
        }
        return true;
    }

    int inKafkaCount() {
        return inKafka.get();
    }

    int count(int outcome) {
        int n = 0;
        for (int i = 0; i < capacity; i++) {
            n += outcomes.get(i) == outcome && (outcome != PENDING || startNanos.get(i) != 0) ? 1 : 0;
        }
        return n;
    }

    int outcome(int index) {
        return outcomes.get(index);
    }

    long startNanos(int index) {
        return startNanos.get(index);
    }

    long answerNanos(int index) {
        return answerNanos.get(index);
    }

    long kafkaMillis(int index) {
        return kafkaMillis.get(index);
    }

    /** The answer time on the wall clock, in (fractional) milliseconds. */
    double answerWallMillis(int index) {
        return ORIGIN_WALL_MILLIS + (answerNanos.get(index) - ORIGIN_NANOS) / 1e6;
    }

    /** Statuses other than 200/503 and client errors (by exception class): how often, and the first answer. */
    List<String> unexpected() {
        return unexpected.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + ": " + e.getValue().get() + "x, first: " + firstSamples.get(e.getKey()))
                .toList();
    }
}
