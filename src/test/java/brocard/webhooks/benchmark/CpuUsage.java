package brocard.webhooks.benchmark;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;

/**
 * CPU seconds used between two snapshots by the application process, PostgreSQL, the load generator's threads, the
 * whole test JVM (load generator, Kafka broker, channel server, Kafka reader) and the whole machine.
 */
record CpuUsage(
        double wallSeconds,
        double app,
        double appJit,
        double postgres,
        double generator,
        double testJvm,
        double machine) {

    /** Cores used by everything else on the machine (other builds): the figures are only comparable when it is ~0. */
    double otherCores() {
        return (machine - app - postgres - testJvm) / wallSeconds;
    }

    /** A point in time; {@link #since} turns two into a usage. */
    record Snapshot(
            long nanos,
            double app,
            double appJit,
            double postgres,
            long generatorNanos,
            long testJvmNanos,
            double machine) {

        static Snapshot take(long appPid, long postmasterPid) {
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return new Snapshot(
                    System.nanoTime(),
                    ProcStats.cpuSeconds(appPid),
                    ProcStats.compilerCpuSeconds(appPid),
                    ProcStats.postgresCpuSeconds(postmasterPid),
                    LoadGenerator.cpuNanos(),
                    os.getProcessCpuTime(),
                    ProcStats.machineBusySeconds());
        }

        CpuUsage since(Snapshot before) {
            return new CpuUsage(
                    (nanos - before.nanos) / 1e9,
                    app - before.app,
                    appJit - before.appJit,
                    postgres - before.postgres,
                    (generatorNanos - before.generatorNanos) / 1e9,
                    (testJvmNanos - before.testJvmNanos) / 1e9,
                    machine - before.machine);
        }
    }
}
