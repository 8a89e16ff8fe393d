package brocard.webhooks.benchmark;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU seconds used between two snapshots by the application process, PostgreSQL, the load generator's threads, the
 * whole test JVM (load generator, Kafka broker, channel server, Kafka reader) and the whole machine.
 */
record CpuUsage(
        double wallSeconds,
        double app,
        Map<String, Double> appThreads,
        double postgres,
        double generator,
        double testJvm,
        double machine) {

    /** CPU seconds of the application's JIT compiler threads. */
    double appJit() {
        return appThreads.getOrDefault(ProcStats.JIT_GROUP, 0.0);
    }

    /** The application's busiest thread groups, with their share of its CPU time: "vert.x-eventloop-thread 41%, …". */
    String appThreadShares(int top) {
        double total = Math.max(
                1e-9,
                appThreads.values().stream().mapToDouble(Double::doubleValue).sum());
        return appThreads.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(top)
                .map(e -> String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100 * e.getValue() / total))
                .collect(Collectors.joining(", "));
    }

    /** Cores used by everything else on the machine (other builds): the figures are only comparable when it is ~0. */
    double otherCores() {
        return (machine - app - postgres - testJvm) / wallSeconds;
    }

    /** A point in time; {@link #since} turns two into a usage. */
    record Snapshot(
            long nanos,
            double app,
            Map<String, Double> appThreads,
            double postgres,
            long generatorNanos,
            long testJvmNanos,
            double machine) {

        static Snapshot take(long appPid, long postmasterPid) {
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return new Snapshot(
                    System.nanoTime(),
                    ProcStats.cpuSeconds(appPid),
                    ProcStats.threadCpuSeconds(appPid),
                    ProcStats.postgresCpuSeconds(postmasterPid),
                    LoadGenerator.cpuNanos(),
                    os.getProcessCpuTime(),
                    ProcStats.machineBusySeconds());
        }

        private static Map<String, Double> minus(Map<String, Double> after, Map<String, Double> before) {
            Map<String, Double> used = new HashMap<>();
            after.forEach((group, seconds) -> used.put(group, seconds - before.getOrDefault(group, 0.0)));
            return used;
        }

        CpuUsage since(Snapshot before) {
            return new CpuUsage(
                    (nanos - before.nanos) / 1e9,
                    app - before.app,
                    minus(appThreads, before.appThreads),
                    postgres - before.postgres,
                    (generatorNanos - before.generatorNanos) / 1e9,
                    (testJvmNanos - before.testJvmNanos) / 1e9,
                    machine - before.machine);
        }
    }
}
