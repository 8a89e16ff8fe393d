package brocard.webhooks.ingest;

import brocard.webhooks.outbox.EventDraft;

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
    Map<String, byte[]> storedFingerprints(Connection connection, List<StoreRequest<T>> requests) throws SQLException;

    /**
     * State derived from the new events, in the same transaction (e.g. a payment's current state).
     *
     * @param inserted the new events, in arrival order
     * @return the events to publish for them, in the same order: the drafts as prepared, or completed with what was
     * derived here (a payment event carries the current state it results in)
     */
    default List<EventDraft> afterInsert(Connection connection, List<StoreRequest<T>> inserted) throws SQLException {
        return inserted.stream().map(StoreRequest::event).toList();
    }
}
