package brocard.webhooks.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Brocard's documented example bodies (src/test/resources/samples), with fresh ids: every test shares one database
 * and one Kafka cluster, so each webhook it sends must not collide with another test's.
 */
public final class Samples {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Start from the clock so reruns do not collide; stays below 2^31 like Brocard's own ids. */
    private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() % 1_000_000L * 1000);

    private Samples() {}

    public static long nextId() {
        return IDS.incrementAndGet();
    }

    /** A sample body (file name without .json), as a mutable tree. */
    public static ObjectNode load(String name) {
        try (InputStream in = Samples.class.getResourceAsStream("/samples/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("No sample " + name);
            }
            return (ObjectNode) MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sample with a fresh {@code id} (and, for 3DS, a fresh recipient). */
    public static ObjectNode fresh(String name) {
        ObjectNode body = load(name);
        body.put("id", nextId());
        if (body.has("recipient_id")) {
            body.put("recipient_id", nextId());
        }
        return body;
    }

    /**
     * A fresh id whose webhooks go to the same ingest writer shard as {@code sameShardAs}'s (payments and refunds are
     * sharded by id), for tests that form one batch on purpose.
     */
    public static long nextIdInShardOf(long sameShardAs, int shards) {
        int shard = brocard.webhooks.ingest.IngestWriter.shardOf(Long.toString(sameShardAs), shards);
        long id = nextId();
        while (brocard.webhooks.ingest.IngestWriter.shardOf(Long.toString(id), shards) != shard) {
            id = nextId();
        }
        return id;
    }

    public static ObjectNode payment(long id, int state, String label) {
        ObjectNode body = load("payment-current");
        body.put("id", id);
        ObjectNode stateNode = body.putObject("state");
        stateNode.put("value", state);
        stateNode.put("label", label);
        return body;
    }

    public static String json(ObjectNode body) {
        return body.toString();
    }
}
