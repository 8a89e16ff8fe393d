package brocard.webhooks.concurrency;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread factory of the service's own threads (writer lanes, publishers, relay workers, checkers): daemon
 * threads, so none of them keeps the JVM alive past Quarkus' shutdown (each owner stops its threads itself, in order),
 * and named, so a thread dump at 3 a.m. says whose thread is stuck.
 */
public final class NamedThreads {

    private NamedThreads() {}

    /** Threads named {@code prefix-1}, {@code prefix-2}, …: for pools. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger next = new AtomicInteger();
        return runnable -> daemon(runnable, prefix + "-" + next.incrementAndGet());
    }

    /** Threads all named {@code name}: for single-thread executors. */
    public static ThreadFactory named(String name) {
        return runnable -> daemon(runnable, name);
    }

    /** One daemon thread, not started. */
    public static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
