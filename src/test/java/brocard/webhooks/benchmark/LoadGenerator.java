package brocard.webhooks.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator. It shares two cores with the service, PostgreSQL and Kafka, so it must cost next to nothing per
 * request: raw HTTP/1.1 over keep-alive connections, one non-blocking selector thread per stream, request bytes
 * assembled from a template (the JDK HttpClient cost 300–800 µs of CPU per request, as much as the service itself).
 * Open-loop streams have one more thread that paces the intended send times. Its CPU is {@link #cpuNanos()}.
 */
final class LoadGenerator implements AutoCloseable {

    private static final String THREAD_PREFIX = "bench-load-";
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(90);

    private final List<Thread> threads = new ArrayList<>();

    /**
     * Closed loop: {@code connections} requests in flight for {@code duration}, each answer triggering the next
     * request on its connection. Latency counts from the actual send. Returns when the last answer is in.
     */
    void closedLoop(Ledger ledger, URI uri, BodyTemplate bodies, int connections, Duration duration) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        Stream stream = new Stream(ledger, uri, bodies, connections, () -> {
            if (System.nanoTime() >= end) {
                return null;
            }
            return new long[] {ledger.issue(), System.nanoTime()};
        });
        stream.runUntilDrained(end);
    }

    /**
     * Open loop: request {@code i} is due at start + i/rate for {@code duration}, whatever the answers do. A due
     * request waits for one of {@code maxInFlight} connections; its latency counts from the intended time (no
     * coordinated omission). Requests not sent by the end are recorded as unsent.
     */
    Future<?> openLoop(Ledger ledger, URI uri, BodyTemplate bodies, int rate, int maxInFlight, Duration duration) {
        ConcurrentLinkedQueue<long[]> due = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        Stream stream = new Stream(ledger, uri, bodies, maxInFlight, () -> {
            long[] next = due.poll();
            if (next != null) {
                next[0] = ledger.issue();
            }
            return next;
        });
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread pacer = thread("pacer", () -> {
            int i = 0;
            for (; i < ledger.capacity; i++) {
                long intended = start + (long) (i * 1e9 / rate);
                if (intended >= end) {
                    break;
                }
                for (long wait = intended - System.nanoTime(); wait > 0; wait = intended - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                due.add(new long[] {-1, intended});
                stream.wakeUp();
            }
        });
        thread("stream", () -> {
            try {
                stream.runUntilDrained(end);
                pacer.join();
                // What is still queued was never sent: the service did not free a connection in time.
                for (long[] left; (left = due.poll()) != null; ) {
                    ledger.unsent(ledger.issue(), left[1], end);
                }
                done.complete(null);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** CPU time of the generator's threads (selector and pacer threads, all named {@value #THREAD_PREFIX}…). */
    static long cpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(THREAD_PREFIX)) {
                total += Math.max(0, mx.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private Thread thread(String name, Runnable body) {
        Thread thread = new Thread(body, THREAD_PREFIX + name + "-" + threads.size());
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
        return thread;
    }

    @Override
    public void close() {
        threads.forEach(Thread::interrupt);
    }

    /** Supplies the next request to send as {index, start nanos}, or null when there is none now. */
    @FunctionalInterface
    private interface Work {
        long[] next();
    }

    /** Connections driven by one selector on the calling thread. */
    private static final class Stream {
        private final Ledger ledger;
        private final BodyTemplate bodies;
        private final byte[] head;
        private final Work work;
        private final Selector selector;
        private final List<Connection> connections = new ArrayList<>();

        Stream(Ledger ledger, URI uri, BodyTemplate bodies, int count, Work work) {
            this.ledger = ledger;
            this.bodies = bodies;
            this.work = work;
            String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            this.head = ("POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                            + "\r\nContent-Type: application/json\r\nContent-Length: ")
                    .getBytes(StandardCharsets.US_ASCII);
            try {
                this.selector = Selector.open();
                for (int i = 0; i < count; i++) {
                    SocketChannel channel = SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
                    channel.configureBlocking(false);
                    channel.socket().setTcpNoDelay(true);
                    Connection connection = new Connection(channel);
                    channel.register(selector, 0, connection);
                    connections.add(connection);
                }
            } catch (IOException e) {
                throw new IllegalStateException("could not open the load connections", e);
            }
        }

        void wakeUp() {
            selector.wakeup();
        }

        /** Sends while there is work and time, then waits for every answer. */
        void runUntilDrained(long end) throws IOException {
            long drainDeadline = end + DRAIN_TIMEOUT.toNanos();
            while (true) {
                boolean busy = false;
                for (Connection c : connections) {
                    if (c.index < 0 && System.nanoTime() < end) {
                        long[] next = work.next();
                        if (next != null) {
                            c.send(next);
                        }
                    }
                    busy |= c.index >= 0;
                }
                if (!busy && System.nanoTime() >= end) {
                    break;
                }
                if (System.nanoTime() > drainDeadline) {
                    throw new IllegalStateException(ledger.name + ": requests still unanswered long after the run");
                }
                selector.select(busy ? 10 : 1);
                for (SelectionKey key : selector.selectedKeys()) {
                    ((Connection) key.attachment()).onReady(key);
                }
                selector.selectedKeys().clear();
            }
            for (Connection c : connections) {
                c.channel.close();
            }
            selector.close();
        }

        private final class Connection {
            final SocketChannel channel;
            final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            ByteBuffer out;
            int index = -1;

            Connection(SocketChannel channel) {
                this.channel = channel;
            }

            void send(long[] request) throws IOException {
                index = (int) request[0];
                ledger.started(index, request[1]);
                byte[] body = bodies.body(ledger.id(index));
                byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                out = ByteBuffer.allocate(head.length + length.length + body.length)
                        .put(head)
                        .put(length)
                        .put(body);
                out.flip();
                in.clear();
                channel.write(out);
                channel.keyFor(selector).interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            }

            void onReady(SelectionKey key) throws IOException {
                if (key.isWritable()) {
                    channel.write(out);
                    if (!out.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                    return;
                }
                if (channel.read(in) < 0) {
                    throw new IllegalStateException(ledger.name + ": the service closed a keep-alive connection");
                }
                String answer = completeResponse();
                if (answer != null) {
                    int status = Integer.parseInt(answer.substring(9, 12));
                    ledger.answered(index, System.nanoTime(), status, answer.substring(answer.indexOf("\r\n\r\n") + 4));
                    index = -1;
                    key.interestOps(0);
                }
            }

            /** The whole response once its headers and Content-Length bytes are in, else null. */
            private String completeResponse() {
                String text = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
                int headerEnd = text.indexOf("\r\n\r\n");
                if (headerEnd < 0) {
                    return null;
                }
                int at = text.toLowerCase().indexOf("content-length:");
                int length = at < 0 || at > headerEnd
                        ? 0
                        : Integer.parseInt(text.substring(at + 15, text.indexOf("\r\n", at))
                                .trim());
                return text.length() >= headerEnd + 4 + length ? text : null;
            }
        }
    }
}
