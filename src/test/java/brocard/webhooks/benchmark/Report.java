package brocard.webhooks.benchmark;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The figures of one benchmark run, as the text table printed and written to target/benchmark. */
final class Report {

    /** A 3DS stream sent alongside an open-loop run: its answers, and 200 → code at the channel per code. */
    record Otp(Summary ingest, long[] relayNanos, int delivered) {}

    /** One load run. {@code otp} is null when no 3DS stream ran alongside. */
    record Run(
            String name, Summary payments, Otp otp, CpuUsage cpu, String outboxSql, String writer, boolean ledgerFull) {
        int acceptedWebhooks() {
            return payments.count(Ledger.ACCEPTED)
                    + (otp == null ? 0 : otp.ingest().count(Ledger.ACCEPTED));
        }

        int sentRequests() {
            return payments.sent() + (otp == null ? 0 : otp.ingest().sent());
        }
    }

    private final Knobs knobs;
    private final int bodyBytes;
    private final Instant started = Instant.now();
    private final List<Run> runs = new ArrayList<>();
    private final List<DatabaseBaseline.Result> baselines = new ArrayList<>();
    private long peakRssKib = -1;
    private String kafkaTimestamps = "none read";

    Report(Knobs knobs, int bodyBytes) {
        this.knobs = knobs;
        this.bodyBytes = bodyBytes;
    }

    void baseline(DatabaseBaseline.Result result) {
        baselines.add(result);
    }

    void run(Run run) {
        runs.add(run);
    }

    List<Run> runs() {
        return runs;
    }

    void app(long peakRssKib, Object kafkaTimestampType) {
        this.peakRssKib = peakRssKib;
        this.kafkaTimestamps = String.valueOf(kafkaTimestampType);
    }

    String render() {
        StringBuilder out = new StringBuilder();
        line(out, "== Ingest throughput benchmark (%s) ==", started.truncatedTo(ChronoUnit.SECONDS));
        line(
                out,
                "machine  %d CPUs (nproc), %s; CLK_TCK %d",
                Runtime.getRuntime().availableProcessors(),
                cpuModel(),
                ProcStats.ticksPerSecond());
        line(
                out,
                "java     %s (%s), the same java for the app",
                System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.name"));
        line(
                out,
                "setup    packaged app (prod) as a child process; PostgreSQL (zonky, fsync on, synchronous_commit on)"
                        + " in processes of its own;%n         Kafka broker (KRaft), load generator, Kafka reader and 3DS channel"
                        + " server in the test JVM; all on this machine");
        line(out, "knobs    %s", knobs.describe());
        line(
                out,
                "load     POST /webhooks/brocard, payment webhooks of %d bytes, a new id each; 3DS: POST"
                        + " /webhooks/brocard/3ds (%d connections)",
                bodyBytes,
                Knobs.OTP_IN_FLIGHT);
        line(out, "");
        line(
                out,
                "%-22s %8s %8s %7s %6s %6s %6s %7s %11s %9s %9s %9s",
                "payments",
                "sent",
                "200 new",
                "200 dup",
                "503",
                "other",
                "error",
                "unsent",
                "accepted/s",
                "p50 ms",
                "p99 ms",
                "max ms");
        for (Run run : runs) {
            Summary p = run.payments();
            line(
                    out,
                    "%-22s %8d %8d %7d %6d %6d %6d %7d %11.1f %s%s",
                    run.name(),
                    p.sent(),
                    p.count(Ledger.ACCEPTED),
                    p.count(Ledger.DUPLICATE),
                    p.count(Ledger.UNAVAILABLE),
                    p.count(Ledger.OTHER),
                    p.count(Ledger.ERROR) + p.count(Ledger.PENDING),
                    p.count(Ledger.UNSENT),
                    p.acceptedPerSecond(),
                    p.latencyCells(),
                    run.ledgerFull() ? "  (id range exhausted: stopped early)" : "");
        }
        for (Run run : runs) {
            run.payments().unexpected().forEach(answer -> line(out, "  %s: %s", run.name(), answer));
        }
        line(
                out,
                "error = client-side failures and requests never answered. Latency: closed loop from the send; open"
                        + " loop from the%nintended send time, and an unsent request (no connection free before the run"
                        + " ended) counts as run end - intended%ntime (a lower bound).");
        line(out, "");
        line(
                out,
                "%-22s %6s %9s %9s %7s %8s %8s %10s %9s %10s",
                "CPU (run start -> its",
                "wall s",
                "app cores",
                "app us/wh",
                "of JIT",
                "PG cores",
                "PG us/wh",
                "gen us/req",
                "test JVM",
                "others");
        line(
                out,
                "%-22s %6s %9s %9s %7s %8s %8s %10s %9s %10s",
                "  events all in Kafka)",
                "",
                "",
                "",
                "us/wh",
                "",
                "",
                "",
                "cores",
                "cores");
        for (Run run : runs) {
            CpuUsage c = run.cpu();
            double webhooks = Math.max(1, run.acceptedWebhooks());
            line(
                    out,
                    "%-22s %6.1f %9.2f %9.0f %7.0f %8.2f %8.0f %10.0f %9.2f %10.2f",
                    run.name(),
                    c.wallSeconds(),
                    c.app() / c.wallSeconds(),
                    c.app() * 1e6 / webhooks,
                    c.appJit() * 1e6 / webhooks,
                    c.postgres() / c.wallSeconds(),
                    c.postgres() * 1e6 / webhooks,
                    c.generator() * 1e6 / Math.max(1, run.sentRequests()),
                    c.testJvm() / c.wallSeconds(),
                    c.otherCores());
        }
        line(
                out,
                "us/wh = CPU microseconds per accepted webhook (payments + 3DS), from utime+stime in /proc/PID/stat;"
                        + "%nof JIT = the part of app us/wh spent by the JIT compiler threads (warm-up, not the service's"
                        + " steady work);"
                        + "%ngen us/req = load generator threads (ThreadMXBean); test JVM = generator + broker + reader +"
                        + " channel server;%nothers = the rest of the machine (/proc/stat): other people's builds. Compare"
                        + " runs only when it is near 0.");
        line(out, "");
        line(
                out,
                "%-22s %8s %8s %6s %9s %9s %9s",
                "Kafka brocard.payments",
                "accepted",
                "in Kafka",
                "lost",
                "lag p50",
                "p99",
                "max ms");
        for (Run run : runs) {
            Summary p = run.payments();
            line(
                    out,
                    "%-22s %8d %8d %6d %s",
                    run.name(),
                    p.count(Ledger.ACCEPTED),
                    p.kafkaLagMillis().length,
                    p.lost(),
                    p.kafkaLagCells());
        }
        line(
                out,
                "lag = broker append time of the record (timestamps read: %s) - wall time the client got its 200;"
                        + "%nthe outbox may publish before the 200 reaches the client, so it can be negative.",
                kafkaTimestamps);
        for (Run run : runs) {
            line(out, "outbox SQL, %-11s %s", run.name() + ":", run.outboxSql());
        }
        for (Run run : runs) {
            line(out, "writer, %-15s %s", run.name() + ":", run.writer());
        }
        for (Run run : runs) {
            line(out, "app threads, %-10s %s", run.name() + ":", run.cpu().appThreadShares(10));
        }
        for (Run run : runs) {
            if (run.otp() != null) {
                otp(out, run);
            }
        }
        line(out, "");
        baselines(out);
        line(out, "app peak RSS (VmHWM): %s", peakRssKib < 0 ? "n/a" : peakRssKib / 1024 + " MiB");
        return out.toString();
    }

    private void otp(StringBuilder out, Run run) {
        Otp otp = run.otp();
        Summary s = otp.ingest();
        line(out, "");
        line(
                out,
                "3DS alongside %s: sent %d, 200 new %d, 200 dup %d, 503 %d, other %d, error %d, unsent %d,"
                        + " delivered %d (undelivered %d)",
                run.name(),
                s.sent(),
                s.count(Ledger.ACCEPTED),
                s.count(Ledger.DUPLICATE),
                s.count(Ledger.UNAVAILABLE),
                s.count(Ledger.OTHER),
                s.count(Ledger.ERROR) + s.count(Ledger.PENDING),
                s.count(Ledger.UNSENT),
                otp.delivered(),
                s.count(Ledger.ACCEPTED) - otp.delivered());
        s.unexpected().forEach(answer -> line(out, "  3DS: %s", answer));
        line(out, "%-40s %9s %9s %9s", "", "p50 ms", "p99 ms", "max ms");
        line(out, "%-40s %s", "intended send -> 200", s.latencyCells());
        long[] relay = otp.relayNanos();
        line(
                out,
                "%-40s %s",
                "200 answered -> code at the channel",
                relay.length == 0
                        ? "no data"
                        : String.format(
                                Locale.ROOT,
                                "%9.1f %9.1f %9.1f",
                                Summary.quantile(relay, 0.5) / 1e6,
                                Summary.quantile(relay, 0.99) / 1e6,
                                relay[relay.length - 1] / 1e6));
    }

    private void baselines(StringBuilder out) {
        line(
                out,
                "Database baseline (JDBC from the test JVM, before the app started; ~%d-byte jsonb rows, durable"
                        + " commits)",
                bodyBytes);
        for (DatabaseBaseline.Result b : baselines) {
            line(
                    out,
                    "  %d connections, %2d row(s) per transaction: %10.0f rows/s (%d rows in %.1f s)",
                    b.connections(),
                    b.rowsPerTransaction(),
                    b.rowsPerSecond(),
                    b.rows(),
                    b.seconds());
        }
        Run closed = runs.stream()
                .filter(r -> r.name().startsWith("closed"))
                .findFirst()
                .orElse(null);
        if (closed != null && !baselines.isEmpty() && baselines.get(0).rowsPerSecond() > 0) {
            line(
                    out,
                    "  service accepted/s (%s) / single-row baseline rows/s = %.2f",
                    closed.name(),
                    closed.payments().acceptedPerSecond() / baselines.get(0).rowsPerSecond());
        }
    }

    private static String cpuModel() {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse("unknown CPU");
        } catch (java.io.IOException e) {
            return "unknown CPU";
        }
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }
}
