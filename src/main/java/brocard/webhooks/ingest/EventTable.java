package brocard.webhooks.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQL of one webhook kind's event table, for a whole batch at a time. The table's unique key is the
 * deduplication: {@code insert … on conflict do nothing} holds across concurrent batches and replicas.
 *
 * @param <T> the kind's validated webhook
 */
public interface EventTable<T> {

    /**
     * Inserts the rows of requests with distinct dedup keys in one statement, skipping keys already stored.
     * Implementations insert in key order, so two replicas storing overlapping batches lock keys in the same order
     * and cannot deadlock.
     *
     * @return the dedup keys that were inserted
     */
    Set<String> insertNew(Connection connection, List<StoreRequest<T>> requests) throws SQLException;

    /** The fingerprints stored under these requests' dedup keys (all of them already stored). */
    Map<String, byte[]> storedFingerprints(Connection connection, List<StoreRequest<T>> requests)
            throws SQLException;

    /** State derived from new events, in the same transaction (e.g. a payment's current state). */
    default void afterInsert(Connection connection, List<StoreRequest<T>> inserted) throws SQLException {
    }
}
