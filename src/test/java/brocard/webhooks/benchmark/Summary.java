package brocard.webhooks.benchmark;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What one run's {@link Ledger} says once the run is over: answers by outcome, latency of every request (sorted), the
 * achieved rate, and how the accepted webhooks fared in Kafka.
 *
 * @param counts        requests by {@code Ledger} outcome (PENDING = sent, never answered)
 * @param latencyNanos  answer − start of every answered request, and window end − intended time of unsent ones
 * @param seconds       first start to last answer
 * @param kafkaLagMillis Kafka record timestamp − wall time the client got its 200, per accepted webhook seen in Kafka
 * @param unexpected    answers other than 200/503 and client errors, by kind: how often, and the first one
 */
record Summary(int[] counts, long[] latencyNanos, double seconds, double[] kafkaLagMillis, List<String> unexpected) {

    static Summary of(Ledger ledger) {
        int[] counts = new int[Ledger.OUTCOMES];
        long[] latencies = new long[ledger.capacity];
        double[] lags = new double[ledger.capacity];
        int n = 0;
        int lagCount = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int i = 0; i < ledger.capacity; i++) {
            long start = ledger.startNanos(i);
            if (start == 0) {
                continue; // never issued
            }
            int outcome = ledger.outcome(i);
            counts[outcome]++;
            if (outcome == Ledger.PENDING) {
                continue;
            }
            latencies[n++] = ledger.answerNanos(i) - start;
            first = Math.min(first, start);
            if (outcome != Ledger.UNSENT) {
                last = Math.max(last, ledger.answerNanos(i));
            }
            if (outcome == Ledger.ACCEPTED && ledger.kafkaMillis(i) != 0) {
                lags[lagCount++] = ledger.kafkaMillis(i) - ledger.answerWallMillis(i);
            }
        }
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        double[] sortedLags = Arrays.copyOf(lags, lagCount);
        Arrays.sort(sortedLags);
        return new Summary(counts, sorted, last > first ? (last - first) / 1e9 : 0, sortedLags, ledger.unexpected());
    }

    int count(int outcome) {
        return counts[outcome];
    }

    int sent() {
        return Arrays.stream(counts).sum() - counts[Ledger.UNSENT];
    }

    /** Accepted webhooks whose event never showed up on the topic. */
    int lost() {
        return counts[Ledger.ACCEPTED] - kafkaLagMillis.length;
    }

    double acceptedPerSecond() {
        return seconds > 0 ? counts[Ledger.ACCEPTED] / seconds : 0;
    }

    /** p50, p99 and max latency in ms, as table cells. */
    String latencyCells() {
        if (latencyNanos.length == 0) {
            return String.format(Locale.ROOT, "%9s %9s %9s", "-", "-", "-");
        }
        return String.format(
                Locale.ROOT,
                "%9.1f %9.1f %9.1f",
                quantile(latencyNanos, 0.50) / 1e6,
                quantile(latencyNanos, 0.99) / 1e6,
                latencyNanos[latencyNanos.length - 1] / 1e6);
    }

    /** Kafka lag p50, p99 and max in ms, as table cells. */
    String kafkaLagCells() {
        if (kafkaLagMillis.length == 0) {
            return String.format(Locale.ROOT, "%9s %9s %9s", "-", "-", "-");
        }
        return String.format(
                Locale.ROOT,
                "%9.1f %9.1f %9.1f",
                quantile(kafkaLagMillis, 0.50),
                quantile(kafkaLagMillis, 0.99),
                kafkaLagMillis[kafkaLagMillis.length - 1]);
    }

    static long quantile(long[] sorted, double q) {
        return sorted[index(sorted.length, q)];
    }

    static double quantile(double[] sorted, double q) {
        return sorted[index(sorted.length, q)];
    }

    private static int index(int length, double q) {
        return Math.max(0, Math.min(length - 1, (int) Math.ceil(q * length) - 1));
    }
}
