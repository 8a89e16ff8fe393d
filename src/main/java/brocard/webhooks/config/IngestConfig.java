package brocard.webhooks.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The ingest write path: the group-commit writer between the HTTP layer and PostgreSQL. */
@ConfigMapping(prefix = "brocard.ingest")
public interface IngestConfig {

    /** Most webhooks one writer transaction stores (one commit, one disk flush for all of them). */
    @WithDefault("512")
    int batchSize();

    /**
     * How long (µs) the writer waits for more webhooks when the queue ran empty before its batch was full. Under load
     * the queue refills during each commit, so this only trades a fraction of a millisecond for fuller batches.
     */
    @WithDefault("200")
    int lingerMicros();

    /**
     * Writers for payments and refunds, each with its own queue, thread and connection. A webhook goes to the writer
     * its Kafka key (payment or refund id) hashes to, so one key's webhooks keep their arrival order while batches of
     * different keys commit in parallel: one waits for its disk flush while the next one executes.
     */
    @WithDefault("2")
    int writerShards();

    /** Payment and refund webhooks waiting for each writer; when full, new ones are answered 503 at once. */
    @WithDefault("4096")
    int queueCapacity();

    /** 3-D Secure codes waiting for their own writer (a lane of their own, so a payment flood never delays them). */
    @WithDefault("1024")
    int otpQueueCapacity();

    /**
     * A webhook still queued after this long is answered 503 instead of stored (Brocard may retry; a stored copy then
     * answers duplicate). Bounds how long a request can wait while the database is slow.
     */
    @WithDefault("5s")
    Duration maxQueueWait();

    /** Longest a writer statement (and its network round trip) may take before the batch fails with 503. */
    @WithDefault("10s")
    Duration statementTimeout();

    /** The {@code Retry-After} a 503 suggests to Brocard. */
    @WithDefault("1s")
    Duration retryAfter();
}
