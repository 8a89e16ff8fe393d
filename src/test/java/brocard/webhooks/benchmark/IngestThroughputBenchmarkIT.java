package brocard.webhooks.benchmark;

import brocard.webhooks.local.EmbeddedKafkaBroker;
import brocard.webhooks.local.EmbeddedPostgresServer;
import brocard.webhooks.support.ChannelServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ingest throughput of the packaged application (target/quarkus-app, prod profile) against a real PostgreSQL (fsync
 * on) and a real Kafka broker: a closed-loop run (as fast as {@code bench.connections} connections go), open-loop runs
 * at fixed rates with a 3DS stream alongside (relay latency to a local endpoint), the service's CPU time per webhook,
 * Kafka lag and losses, and a database-only baseline on the same machine. Prints figures and writes them to
 * target/benchmark/ingest-throughput.txt; asserts only that every accepted payment reached Kafka. Run:
 * {@code ./mvnw -B verify -Pbenchmark} (knobs in {@link Knobs}; docs/performance.md).
 */
@Tag("benchmark")
class IngestThroughputBenchmarkIT {

    private static final Path OUT = Path.of("target", "benchmark");
    private static final List<String> TOPICS = List.of("brocard.payments", "brocard.refunds", "brocard.otp");
    private static final String TOKEN = "bench-token";
    private static final String ADMIN_TOKEN = "bench-admin";
    /** 32 bytes, for this benchmark's throw-away database only. */
    private static final String OTP_KEY = base64("benchmark-only-key-never-in-prod");

    private static final String CHANNEL_SECRET = "whsec_" + base64("benchmark-channel-signing-secret!");
    private static final long RECIPIENT = 900_000_001L;
    private static final String CHANNEL_PATH = "/bench/3ds";
    private static final String PAYMENTS = "/webhooks/brocard?token=" + TOKEN;
    private static final String THREE_DS = "/webhooks/brocard/3ds?token=" + TOKEN;
    /** Ids reserved per closed-loop second: far above what two cores can accept. */
    private static final int CLOSED_LOOP_MAX_RATE = 20_000;

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(120);

    private final Knobs knobs = Knobs.fromSystemProperties();
    private final BodyTemplate payments = BodyTemplate.payment(Knobs.BODY_BYTES);
    private final BodyTemplate otps = BodyTemplate.otp(RECIPIENT, knobs.otpRecipients());
    private EmbeddedPostgresServer postgres;
    private long postmasterPid;
    private ChannelServer channel;
    private KafkaTracker tracker;
    private AppProcess app;
    private LoadGenerator load;
    private StatementStats statements;

    @Test
    void ingestThroughput() throws Exception {
        Files.createDirectories(OUT);
        Report report = new Report(knobs, payments.size(1_000_000_000L));
        try {
            measure(report);
        } finally {
            // Also when a run failed: the figures so far, and the app log, tell why.
            String text = report.render();
            System.out.println(text);
            Files.writeString(OUT.resolve("ingest-throughput.txt"), text);
        }
        for (Report.Run run : report.runs()) {
            assertEquals(0, run.payments().lost(), run.name() + ": every accepted payment reaches Kafka");
        }
        assertTrue(report.runs().get(1).payments().count(Ledger.ACCEPTED) > 0, "the closed loop got webhooks in");
    }

    private void measure(Report report) throws Exception {
        if (StatementStats.wanted()) {
            StatementStats.preloadExtension();
        }
        try (EmbeddedPostgresServer database = EmbeddedPostgresServer.start();
                EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(OptionalInt.empty());
                ChannelServer channelServer = new ChannelServer()) {
            postgres = database;
            channel = channelServer;
            postmasterPid = postmasterPid();
            if (StatementStats.wanted()) {
                statements = StatementStats.install(
                        postgres.jdbcUrl(), postgres.username(), OUT.resolve("pg-statements.txt"));
            }
            KafkaTracker.createTopics(kafka.bootstrapServers(), TOPICS);
            // Alone on the machine: before the app starts, so that nothing competes with it.
            DatabaseBaseline baseline = new DatabaseBaseline(postgres.jdbcUrl(), postgres.username());
            String row = new String(payments.body(1_000_000_000L), StandardCharsets.UTF_8);
            Duration baselineTime = Duration.ofSeconds(knobs.baselineSeconds());
            report.baseline(baseline.run(Knobs.BASELINE_CONNECTIONS, 1, baselineTime, row));
            report.baseline(baseline.run(Knobs.BASELINE_CONNECTIONS, 50, baselineTime, row));
            baseline.drop();

            try (KafkaTracker kafkaTracker = new KafkaTracker(kafka.bootstrapServers(), "brocard.payments");
                    AppProcess application =
                            AppProcess.start(appEnvironment(kafka), knobs.appJvmArgs(), OUT.resolve("ingest-app.log"));
                    LoadGenerator generator = new LoadGenerator()) {
                tracker = kafkaTracker;
                app = application;
                load = generator;
                app.awaitReady(Duration.ofSeconds(120));
                for (int i = 0; i < knobs.otpRecipients(); i++) {
                    app.adminPost("/admin/recipients", ADMIN_TOKEN, recipientJson(RECIPIENT + i));
                }

                // 3DS codes flow during the warm-up too: otherwise the relay's code is still being compiled (and the
                // JIT's CPU counted) during the first measured open-loop run.
                Future<?> otpWarmUp = warmUpOtp();
                report.run(closedRun("warm-up (closed)", knobs.warmupSeconds()));
                if (otpWarmUp != null) {
                    otpWarmUp.get();
                }
                report.run(closedRun("closed, " + knobs.connections() + " conn", knobs.seconds()));
                for (int rate : knobs.rates()) {
                    report.run(openRun(rate));
                }
                report.app(ProcStats.peakRssKib(app.pid()), tracker.timestampType());
            }
        }
    }

    private Future<?> warmUpOtp() {
        if (knobs.otpRate() <= 0 || knobs.warmupSeconds() <= 0) {
            return null;
        }
        Ledger warmUp = new Ledger("3DS warm-up", knobs.otpRate() * knobs.warmupSeconds());
        return load.openLoop(
                warmUp,
                app.uri(THREE_DS),
                otps,
                knobs.otpRate(),
                Knobs.OTP_IN_FLIGHT,
                Duration.ofSeconds(knobs.warmupSeconds()));
    }

    private Report.Run closedRun(String name, int seconds) throws Exception {
        Ledger ledger = new Ledger(name, Math.max(1, seconds) * CLOSED_LOOP_MAX_RATE);
        tracker.track(ledger);
        resetStatements();
        CpuUsage.Snapshot before = CpuUsage.Snapshot.take(app.pid(), postmasterPid);
        WriterMetrics writerBefore = WriterMetrics.scrape(app.uri("/q/metrics"));
        Instant from = Instant.now();
        load.closedLoop(ledger, app.uri(PAYMENTS), payments, knobs.connections(), Duration.ofSeconds(seconds));
        Instant to = Instant.now();
        tracker.awaitAll(ledger, DRAIN_TIMEOUT);
        CpuUsage cpu = CpuUsage.Snapshot.take(app.pid(), postmasterPid).since(before);
        String writer = WriterMetrics.scrape(app.uri("/q/metrics")).since(writerBefore);
        writeStatements(name);
        return new Report.Run(
                name, Summary.of(ledger), null, cpu, outboxSql(from, to), writer, ledger.issued() == ledger.capacity);
    }

    private Report.Run openRun(int rate) throws Exception {
        Duration duration = Duration.ofSeconds(knobs.seconds());
        Ledger ledger = new Ledger("open, " + rate + "/s", rate * knobs.seconds());
        Ledger otp = knobs.otpRate() > 0 ? new Ledger("3DS", knobs.otpRate() * knobs.seconds()) : null;
        tracker.track(ledger);
        resetStatements();
        CpuUsage.Snapshot before = CpuUsage.Snapshot.take(app.pid(), postmasterPid);
        WriterMetrics writerBefore = WriterMetrics.scrape(app.uri("/q/metrics"));
        Instant from = Instant.now();
        Future<?> paymentsSent =
                load.openLoop(ledger, app.uri(PAYMENTS), payments, rate, knobs.connections(), duration);
        Future<?> otpSent = otp == null
                ? null
                : load.openLoop(otp, app.uri(THREE_DS), otps, knobs.otpRate(), Knobs.OTP_IN_FLIGHT, duration);
        paymentsSent.get();
        if (otpSent != null) {
            otpSent.get();
        }
        Instant to = Instant.now();
        tracker.awaitAll(ledger, DRAIN_TIMEOUT);
        Report.Otp otpResult = otp == null ? null : deliveries(otp);
        CpuUsage cpu = CpuUsage.Snapshot.take(app.pid(), postmasterPid).since(before);
        String writer = WriterMetrics.scrape(app.uri("/q/metrics")).since(writerBefore);
        writeStatements(ledger.name);
        return new Report.Run(ledger.name, Summary.of(ledger), otpResult, cpu, outboxSql(from, to), writer, false);
    }

    /** Waits for the accepted codes to reach the channel; relay latency is 200 answered → arrival, per code. */
    private Report.Otp deliveries(Ledger otp) throws InterruptedException {
        int accepted = otp.count(Ledger.ACCEPTED);
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        Map<Long, Long> arrivals = arrivals(otp);
        while (arrivals.size() < accepted && System.nanoTime() < deadline) {
            Thread.sleep(200);
            arrivals = arrivals(otp);
        }
        long[] relay = new long[arrivals.size()];
        int n = 0;
        for (int i = 0; i < otp.capacity; i++) {
            Long arrived = arrivals.get(otp.id(i));
            if (arrived != null && otp.outcome(i) == Ledger.ACCEPTED) {
                relay[n++] = arrived - otp.answerNanos(i);
            }
        }
        relay = Arrays.copyOf(relay, n);
        Arrays.sort(relay);
        return new Report.Otp(Summary.of(otp), relay, arrivals.size());
    }

    /** First arrival per code of this ledger; the signed webhook's id is {@code otp_<otpId>_<routeId>}. */
    private Map<Long, Long> arrivals(Ledger otp) {
        Map<Long, Long> at = new HashMap<>();
        for (ChannelServer.Received r : channel.received(CHANNEL_PATH)) {
            String webhookId = r.headers().get("webhook-id");
            long otpId = Long.parseLong(webhookId.substring(4, webhookId.lastIndexOf('_')));
            if (otpId >= otp.firstId && otpId < otp.firstId + otp.capacity) {
                at.putIfAbsent(otpId, r.arrivalNanos());
            }
        }
        return at;
    }

    private void resetStatements() throws Exception {
        if (statements != null) {
            statements.reset();
        }
    }

    private void writeStatements(String run) throws Exception {
        if (statements != null) {
            statements.write(run);
        }
    }

    private String outboxSql(Instant from, Instant to) {
        return OutboxLagSql.describe(postgres.jdbcUrl(), postgres.username(), from, to);
    }

    private Map<String, String> appEnvironment(EmbeddedKafkaBroker kafka) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", "");
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("BROCARD_WEBHOOK_TOKENS", TOKEN);
        env.put("BROCARD_OTP_ENCRYPTION_KEY", OTP_KEY);
        env.put("BROCARD_ADMIN_TOKENS", ADMIN_TOKEN);
        // The relay runs in the same process (its default), and may deliver to the channel server on localhost.
        env.put("BROCARD_RELAY_ENABLED", "true");
        env.put("BROCARD_RELAY_ALLOW_PRIVATE_TARGETS", "true");
        env.put("BROCARD_RELAY_ALLOW_INSECURE_URLS", "true");
        return env;
    }

    private String recipientJson(long recipientId) {
        return String.format(
                "{\"recipientId\": %d, \"displayName\": \"Benchmark cardholder\", \"routes\": "
                        + "[{\"channel\": \"webhook\", \"target\": \"%s\", \"secret\": \"%s\"}]}",
                recipientId, channel.url(CHANNEL_PATH), CHANNEL_SECRET);
    }

    /** The postmaster is the parent of any backend: its process tree is PostgreSQL's CPU time. */
    private long postmasterPid() throws Exception {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), "");
                Statement statement = connection.createStatement();
                ResultSet backend = statement.executeQuery("select pg_backend_pid()")) {
            backend.next();
            return ProcStats.parentPid(backend.getLong(1));
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
