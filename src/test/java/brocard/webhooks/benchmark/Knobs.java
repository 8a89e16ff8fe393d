package brocard.webhooks.benchmark;

import java.util.Arrays;
import java.util.List;

/**
 * The settings of {@link IngestThroughputBenchmarkIT}, from system properties ({@code -Dbench.…} on the Maven command
 * line reaches the failsafe JVM).
 *
 * @param warmupSeconds   closed-loop warm-up before anything is measured ({@code bench.warmup})
 * @param seconds         length of each measured run ({@code bench.seconds})
 * @param connections     requests in flight in the closed loop, and most in flight in the open loop
 * @param rates           open-loop payment rates, one run each ({@code bench.rates=1000,5000}; empty: none)
 * @param otpRate         3DS webhooks per second sent alongside each open-loop run (0: none)
 * @param otpRecipients   cardholders the 3DS codes go to, in turn ({@code bench.otpRecipients}); many, as in real life:
 *                        one recipient receiving every code is a hot Kafka key and outbox key, a different workload
 * @param baselineSeconds length of each database baseline variant
 * @param appJvmArgs      extra JVM options of the application, whitespace-separated ({@code bench.appJvmArgs})
 */
record Knobs(
        int warmupSeconds,
        int seconds,
        int connections,
        List<Integer> rates,
        int otpRate,
        int otpRecipients,
        int baselineSeconds,
        List<String> appJvmArgs) {

    /** Payment body size, the order of magnitude of Brocard's real payment webhooks. */
    static final int BODY_BYTES = 1024;
    /** Baseline writers: as many as the service's connection pool (quarkus.datasource.jdbc.max-size). */
    static final int BASELINE_CONNECTIONS = 32;
    /** Most 3DS requests in flight (their own connections, as Brocard's 3DS URL is a separate sender). */
    static final int OTP_IN_FLIGHT = 16;

    static Knobs fromSystemProperties() {
        // 1000/s: within what this 2-core machine sustains, for latency and lag; 5000/s: the target rate.
        String rates = System.getProperty("bench.rates", "1000,5000").trim();
        // A bounded heap, as in a container (the chart gives the JVM a memory limit): without it the JVM sizes its heap
        // from this machine's 24 GiB and the RSS figure says nothing about the service.
        String jvmArgs = System.getProperty("bench.appJvmArgs", "-Xmx256m").trim();
        return new Knobs(
                Integer.getInteger("bench.warmup", 60),
                Integer.getInteger("bench.seconds", 60),
                Integer.getInteger("bench.connections", 64),
                rates.isEmpty()
                        ? List.of()
                        : Arrays.stream(rates.split(","))
                                .map(String::trim)
                                .map(Integer::valueOf)
                                .toList(),
                Integer.getInteger("bench.otpRate", 200),
                Math.max(1, Integer.getInteger("bench.otpRecipients", 100)),
                Integer.getInteger("bench.baselineSeconds", 20),
                jvmArgs.isEmpty() ? List.of() : List.of(jvmArgs.split("\\s+")));
    }

    /** The command-line form, to print with the figures. */
    String describe() {
        return String.format(
                "-Dbench.warmup=%d -Dbench.seconds=%d -Dbench.connections=%d -Dbench.rates=%s "
                        + "-Dbench.otpRate=%d -Dbench.otpRecipients=%d -Dbench.baselineSeconds=%d "
                        + "-Dbench.appJvmArgs=\"%s\"",
                warmupSeconds,
                seconds,
                connections,
                String.join(",", rates.stream().map(String::valueOf).toList()),
                otpRate,
                otpRecipients,
                baselineSeconds,
                String.join(" ", appJvmArgs));
    }
}
