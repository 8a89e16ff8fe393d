package brocard.webhooks.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Makes a key's outbox order its commit order, across replicas. Outbox ids come from a sequence when the row is
 * inserted, before the commit: two replicas storing events of one payment at once could draw ids in one order and
 * commit in the other, and the publisher, which sends a key's rows in id order, could then publish the later one first
 * (the earlier one was not visible yet). So a storing transaction first takes a transaction-scoped advisory lock on
 * every Kafka key it may write; a second transaction on the same key waits for the first to commit before it draws its
 * ids.
 * <p>
 * Locks are taken in one statement, in ascending order, before any other lock of the transaction: two batches never
 * wait for each other in a cycle. A lock is a 64-bit hash of topic and key; two keys with the same hash (or another
 * user of advisory locks on that number) only serialize their transactions, they never change what is stored.
 */
public final class OutboxKeyLocks {

    private static final String LOCK = "select count(pg_advisory_xact_lock(k)) from unnest(?::bigint[]) as k";
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private OutboxKeyLocks() {}

    /** Waits for the locks of these events' keys; they are released when the transaction ends. */
    public static void lock(Connection connection, Collection<EventDraft> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        Long[] keys = events.stream()
                .map(e -> lockKey(e.topic(), e.key()))
                .distinct()
                .sorted()
                .toArray(Long[]::new);
        try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
            lock.setArray(1, connection.createArrayOf("bigint", keys));
            lock.executeQuery().close(); // unnest yields the array in order: the locks are taken in ascending order
        }
    }

    /** FNV-1a (64 bits) of topic, a NUL, and key: stable across JVMs and releases, unlike String.hashCode. */
    static long lockKey(String topic, String key) {
        long hash = FNV_OFFSET;
        for (byte b : (topic + '\0' + key).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }
}
