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
     * Longest a webhook's answer waits for the database, from the moment it is handed to the writer until its batch
     * commits (or its refusal is quarantined): past it, the answer is 503 with {@code Retry-After}, whatever the
     * database is doing (down, slow, locked, connection pool exhausted). A webhook answered so may still commit a
     * moment later; Brocard's retry is then answered duplicate. Never a 200 for what is not committed.
     */
    @WithDefault("1500ms")
    Duration storeTimeout();

    /** Longest a writer statement (and its network round trip) may take before the batch fails with 503. */
    @WithDefault("10s")
    Duration statementTimeout();

    /**
     * Longest a writer statement waits for a lock (a row of another replica's batch, a table lock taken by hand)
     * before the batch fails with 503: the writer is not stuck behind it for the whole statement timeout.
     */
    @WithDefault("2s")
    Duration lockTimeout();

    /** The {@code Retry-After} a 503 suggests to Brocard. */
    @WithDefault("1s")
    Duration retryAfter();
}
