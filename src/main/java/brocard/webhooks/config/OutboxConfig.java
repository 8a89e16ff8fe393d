package brocard.webhooks.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;

/** The transactional outbox and its publisher. */
@ConfigMapping(prefix = "brocard.outbox")
public interface OutboxConfig {

    /** Whether this replica runs the publisher (any number of replicas may). */
    @WithDefault("true")
    boolean publisherEnabled();

    /**
     * Publisher threads on this replica. Two let a batch be claimed while the previous one waits for Kafka; they
     * never take each other's rows (SKIP LOCKED) and keep each key's order like replicas do.
     */
    @WithDefault("2")
    int publisherThreads();

    /** Most outbox rows one publisher transaction claims and sends. */
    @WithDefault("500")
    int batchSize();

    /** How often each publisher thread polls at least, for rows no hand-off covers (other replicas, retries). */
    @WithDefault("500ms")
    Duration pollInterval();

    /** How long a batch waits for Kafka's acknowledgements before the rows are retried. */
    @WithDefault("15s")
    Duration sendTimeout();

    /** Delay before a row that failed to publish is tried again (grows with attempts, capped at 30 s). */
    @WithDefault("1s")
    Duration retryBackoff();

    /**
     * Failures Kafka calls permanent (record too large, invalid record or topic name, serialization) before a row is
     * parked in the dead letters. Transient failures (Kafka unreachable, topic missing, partition without leader) never
     * park a row: they heal, and the backlog alerts show them.
     */
    @WithDefault("5")
    int maxAttempts();

    /** How long SIGTERM waits for the in-flight batches (acknowledgements, then marking the rows published). */
    @WithDefault("20s")
    Duration shutdownTimeout();

    /** How long published rows are kept (for inspection and replay) before they are deleted. */
    @WithDefault("7d")
    Duration retention();

    /** How often the backlog gauges ({@code brocard.outbox.pending}, …) are refreshed from the database. */
    @WithDefault("10s")
    Duration gaugeInterval();

    /** The CloudEvents {@code source} attribute of every event. */
    @WithDefault("urn:brocard-webhooks")
    URI eventSource();
}
