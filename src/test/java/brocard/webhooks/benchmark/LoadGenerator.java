package brocard.webhooks.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator. It shares the machine's cores with the service, so it is kept cheap: one asynchronous JDK
 * HTTP/1.1 client (keep-alive connections, at most as many as requests in flight) whose work runs on two threads,
 * plus one pacing thread per open-loop stream. Its own CPU time is measurable ({@link #cpuNanos()}).
 */
final class LoadGenerator implements AutoCloseable {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final String THREAD_PREFIX = "bench-load-";

    private final ExecutorService http = Executors.newFixedThreadPool(2, named(THREAD_PREFIX + "http-"));
    private final ExecutorService pacers = Executors.newFixedThreadPool(2, named(THREAD_PREFIX + "pacer-"));
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(http)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * Closed loop: {@code connections} requests in flight for {@code duration}, each answer triggering the next
     * request. Latency counts from the actual send. Returns when the last answer is in.
     */
    void closedLoop(Ledger ledger, URI uri, BodyTemplate bodies, int connections, Duration duration)
            throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        CountDownLatch stopped = new CountDownLatch(connections);
        for (int c = 0; c < connections; c++) {
            sendNext(ledger, uri, bodies, end, stopped);
        }
        if (!stopped.await(duration.plus(REQUEST_TIMEOUT).plusSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(ledger.name + ": requests still unanswered long after the run");
        }
    }

    private void sendNext(Ledger ledger, URI uri, BodyTemplate bodies, long end, CountDownLatch stopped) {
        int index = System.nanoTime() < end ? ledger.issue() : -1;
        if (index < 0) {
            stopped.countDown();
            return;
        }
        send(ledger, index, System.nanoTime(), uri, bodies, () -> sendNext(ledger, uri, bodies, end, stopped));
    }

    /**
     * Open loop on its own pacing thread: request {@code i} is due at start + i/rate, for {@code duration}, whatever
     * the answers do (the ledger's capacity is rate × duration). A due request waits for one of {@code maxInFlight}
     * connections; its latency counts from the intended time, so a slow service cannot hide its queue (no coordinated
     * omission). Requests still waiting at the end are recorded as unsent. The future ends with the last answer.
     */
    Future<?> openLoop(Ledger ledger, URI uri, BodyTemplate bodies, int rate, int maxInFlight, Duration duration) {
        return pacers.submit(() -> {
            pace(ledger, uri, bodies, rate, maxInFlight, duration);
            return null;
        });
    }

    private void pace(Ledger ledger, URI uri, BodyTemplate bodies, int rate, int maxInFlight, Duration duration)
            throws InterruptedException {
        Semaphore free = new Semaphore(maxInFlight);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        int i = 0;
        for (; i < ledger.capacity; i++) {
            long intended = start + (long) (i * 1e9 / rate);
            for (long wait = intended - System.nanoTime(); wait > 0; wait = intended - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            long left = end - System.nanoTime();
            if (left <= 0 || !free.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                break;
            }
            send(ledger, ledger.issue(), intended, uri, bodies, free::release);
        }
        for (int j = i; j < ledger.capacity; j++) {
            ledger.unsent(j, start + (long) (j * 1e9 / rate), end);
        }
        if (!free.tryAcquire(maxInFlight, REQUEST_TIMEOUT.plusSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(ledger.name + ": requests still unanswered long after the run");
        }
    }

    private void send(Ledger ledger, int index, long startNanos, URI uri, BodyTemplate bodies, Runnable then) {
        ledger.started(index, startNanos);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.body(ledger.id(index)))).build();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, error) -> ledger.answered(index, System.nanoTime(),
                        response == null ? -1 : response.statusCode(),
                        response == null ? String.valueOf(error) : response.body()))
                // Not in the completing thread: an answer that is already there must not recurse into the next send.
                .whenCompleteAsync((response, error) -> then.run(), http);
    }

    /**
     * CPU time of the generator's threads: its pacing and HTTP threads and the JDK client's selector thread (the only
     * JDK HTTP client in this JVM).
     */
    static long cpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            String name = info.getThreadName();
            if (name.startsWith(THREAD_PREFIX) || name.startsWith("HttpClient-") && name.endsWith("SelectorManager")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        pacers.shutdownNow();
        http.shutdownNow();
    }
}
