package brocard.webhooks.benchmark;

import brocard.webhooks.support.ChannelServer;
import brocard.webhooks.support.Relay;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.Webhooks;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * End-to-end OTP latency at a steady rate: from the 200 answered to the 3DS webhook to the cardholder's endpoint (a
 * local server) receiving the code, through PostgreSQL, the outbox, Kafka and the relay. Prints figures; asserts
 * nothing about speed (a benchmark, not a timed test). Run: {@code ./mvnw test -Pbenchmark}
 * (knobs: -Dbench.rate=200 -Dbench.seconds=30 -Dbench.warmup=60).
 */
@QuarkusTest
@Tag("benchmark")
class RelayLatencyBenchmark {

    private static final int RATE = Integer.getInteger("bench.rate", 200);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 30);
    /** Long enough for the JIT compiler to settle (it still uses a quarter of a core 80 s after start). */
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 60);

    /** Where the time goes, per stage, from the timestamps the service stores (ms; p50/p99 over the run). */
    private static final String STAGES =
            """
            with s as (
              select extract(epoch from o.published_at - o.created_at) * 1000 as outbox,
                     extract(epoch from d.created_at - o.published_at) * 1000 as kafka_to_relay,
                     extract(epoch from d.finished_at - d.created_at) * 1000 as delivery
              from otp_delivery d join otp_code_event e on e.otp_id = d.otp_id
              join outbox_event o on o.event_id = e.event_id
              where d.recipient_id = ? and d.status = 'delivered' and d.otp_id = any(?))
            select percentile_cont(0.5) within group (order by outbox) as outbox_p50,
                   percentile_cont(0.99) within group (order by outbox) as outbox_p99,
                   percentile_cont(0.5) within group (order by kafka_to_relay) as kafka_p50,
                   percentile_cont(0.99) within group (order by kafka_to_relay) as kafka_p99,
                   percentile_cont(0.5) within group (order by delivery) as delivery_p50,
                   percentile_cont(0.99) within group (order by delivery) as delivery_p99
            from s""";

    @jakarta.inject.Inject
    Rows rows;

    /**
     * Blocking sends from a pool. Not {@code sendAsync}: on two cores the JDK client hands every completed exchange to
     * the common fork-join pool's fallback, a new thread per response (18,000 threads in one run, a quarter of this
     * JVM's CPU), which loaded the machine the service shares.
     */
    private final ExecutorService senders = Executors.newFixedThreadPool(32);

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void steadyRateEndToEndLatency() throws Exception {
        long recipient = Samples.nextId();
        String path = "/bench/" + recipient;
        Relay.putRecipient(recipient, List.of(Relay.webhookRoute(path)));

        run(recipient, path, WARMUP_SECONDS, "warm-up");
        String report = run(recipient, path, SECONDS, "measured");
        System.out.println(report);
        Files.createDirectories(Path.of("target", "benchmark"));
        Files.writeString(Path.of("target", "benchmark", "relay-latency.txt"), report);
        senders.shutdownNow();
    }

    private String run(long recipient, String path, int seconds, String phase) throws Exception {
        int total = RATE * seconds;
        Map<Long, Long> answeredAt = new ConcurrentHashMap<>();
        Map<Long, Long> sentAt = new ConcurrentHashMap<>();
        AtomicInteger errors = new AtomicInteger();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            ids.add(Samples.nextId());
        }
        int delivered = ChannelServer.get().received(path).size();

        Cpu before = Cpu.now(postmasterPid());
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger next = new AtomicInteger();
        long periodNanos = 1_000_000_000L / RATE;
        long start = System.nanoTime();
        pacer.scheduleAtFixedRate(
                () -> {
                    int i = next.getAndIncrement();
                    if (i < total) {
                        long id = ids.get(i);
                        send(recipient, id, sentAt, answeredAt, errors);
                    }
                },
                0,
                periodNanos,
                TimeUnit.NANOSECONDS);
        await().atMost(Duration.ofSeconds(seconds + 60L))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> next.get() >= total && answeredAt.size() + errors.get() >= total);
        pacer.shutdownNow();
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ChannelServer.get().received(path).size() - delivered >= answeredAt.size());
        Cpu used = Cpu.now(before.postmasterPid()).minus(before);

        Map<Long, Long> arrivedAt = new ConcurrentHashMap<>();
        for (ChannelServer.Received r : ChannelServer.get().received(path)) {
            String webhookId = r.headers().get("webhook-id");
            long otpId = Long.parseLong(webhookId.substring(4, webhookId.lastIndexOf('_')));
            arrivedAt.putIfAbsent(otpId, r.arrivalNanos());
        }
        long[] fromAnswer = answeredAt.entrySet().stream()
                .filter(e -> arrivedAt.containsKey(e.getKey()))
                .mapToLong(e -> arrivedAt.get(e.getKey()) - e.getValue())
                .sorted()
                .toArray();
        long[] fromSend = sentAt.entrySet().stream()
                .filter(e -> arrivedAt.containsKey(e.getKey()))
                .mapToLong(e -> arrivedAt.get(e.getKey()) - e.getValue())
                .sorted()
                .toArray();
        long[] ingest = answeredAt.entrySet().stream()
                .mapToLong(e -> e.getValue() - sentAt.get(e.getKey()))
                .sorted()
                .toArray();
        Map<String, Object> stages =
                rows.query(STAGES, recipient, ids.toArray(new Long[0])).get(0);
        return String.format(
                Locale.ROOT,
                """
                == OTP relay latency benchmark (%s) ==
                rate %d codes/s for %d s: %d sent in %.1f s, %d answered 200, %d errors, %d delivered
                cores %d, channel: signed webhook to a local HTTP server, load generator: 32 threads, blocking sends
                CPU per code: machine %.0f us (PostgreSQL %.0f us, this JVM %.0f us: service, broker, generator, channel)
                this JVM's busiest threads: %s
                                                      p50       p90       p99       max  (ms)
                200 answered -> code at channel    %s
                webhook sent -> code at channel    %s
                webhook sent -> 200 answered       %s
                stages (p50 / p99 ms): outbox commit->Kafka ack %.1f / %.1f, Kafka ack->relay planned %.1f / %.1f,
                                       relay planned->channel accepted %.1f / %.1f
                """,
                phase,
                RATE,
                seconds,
                total,
                sendSeconds,
                answeredAt.size(),
                errors.get(),
                fromAnswer.length,
                Runtime.getRuntime().availableProcessors(),
                used.machine() / total * 1e6,
                used.postgres() / total * 1e6,
                used.jvm() / total * 1e6,
                used.busiestThreads(8),
                row(fromAnswer),
                row(fromSend),
                row(ingest),
                num(stages.get("outbox_p50")),
                num(stages.get("outbox_p99")),
                num(stages.get("kafka_p50")),
                num(stages.get("kafka_p99")),
                num(stages.get("delivery_p50")),
                num(stages.get("delivery_p99")));
    }

    private void send(
            long recipient, long otpId, Map<Long, Long> sentAt, Map<Long, Long> answeredAt, AtomicInteger errors) {
        ObjectNode body = Samples.load("otp-example");
        body.put("id", otpId);
        body.put("recipient_id", recipient);
        body.put("code", Relay.code());
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + RestAssured.port + "/webhooks/brocard/3ds?token=" + Webhooks.TOKEN))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        senders.execute(() -> {
            sentAt.put(otpId, System.nanoTime());
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    answeredAt.put(otpId, System.nanoTime());
                    return;
                }
            } catch (IOException e) {
                // counted below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            errors.incrementAndGet();
        });
    }

    private long postmasterPid() {
        long backend =
                ((Number) rows.query("select pg_backend_pid() as pid").get(0).get("pid")).longValue();
        return ProcStats.parentPid(backend);
    }

    /** CPU seconds since boot (or, after {@link #minus}, in between): machine, PostgreSQL, this JVM by thread group. */
    private record Cpu(long postmasterPid, double machine, double postgres, double jvm, Map<String, Double> threads) {

        static Cpu now(long postmasterPid) {
            return new Cpu(
                    postmasterPid,
                    ProcStats.machineBusySeconds(),
                    ProcStats.postgresCpuSeconds(postmasterPid),
                    ProcStats.cpuSeconds(ProcessHandle.current().pid()),
                    ProcStats.threadCpuSeconds(ProcessHandle.current().pid()));
        }

        Cpu minus(Cpu earlier) {
            Map<String, Double> used = new java.util.HashMap<>();
            threads.forEach((group, seconds) -> used.put(group, seconds - earlier.threads.getOrDefault(group, 0.0)));
            return new Cpu(
                    postmasterPid, machine - earlier.machine, postgres - earlier.postgres, jvm - earlier.jvm, used);
        }

        /** Shares of the threads alive at the end (a thread that ended takes its time with it). */
        String busiestThreads(int top) {
            double total = Math.max(
                    1e-9,
                    threads.values().stream().mapToDouble(Double::doubleValue).sum());
            return threads.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .limit(top)
                    .map(e -> String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100 * e.getValue() / total))
                    .collect(java.util.stream.Collectors.joining(", "));
        }
    }

    private static double num(Object value) {
        return value == null ? Double.NaN : ((Number) value).doubleValue();
    }

    private static String row(long[] sortedNanos) {
        if (sortedNanos.length == 0) {
            return "no data";
        }
        return String.format(
                Locale.ROOT,
                "%9.1f %9.1f %9.1f %9.1f",
                ms(sortedNanos, 0.50),
                ms(sortedNanos, 0.90),
                ms(sortedNanos, 0.99),
                sortedNanos[sortedNanos.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}
