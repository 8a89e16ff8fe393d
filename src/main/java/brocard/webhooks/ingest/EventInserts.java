package brocard.webhooks.ingest;

import brocard.webhooks.db.ArrayParameters;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The shape every {@link EventTable} insert shares: rows in key order, column arrays, the inserted keys back. */
public final class EventInserts {

    /** Binds the columns of the statement's {@code unnest}, in order. */
    @FunctionalInterface
    public interface Columns<T> {
        void bind(ArrayParameters<StoreRequest<T>> parameters) throws SQLException;
    }

    /** Reads the dedup key of one row of the statement's {@code returning} clause. */
    @FunctionalInterface
    public interface KeyReader {
        String key(ResultSet row) throws SQLException;
    }

    private EventInserts() {}

    /**
     * Runs {@code insert … select * from unnest(…) on conflict do nothing returning <key>} for the requests, sorted by
     * {@code keyOrder} (so concurrent batches lock keys in the same order and cannot deadlock).
     *
     * @return the dedup keys that were inserted
     */
    public static <T> Set<String> insertReturningKeys(
            Connection connection,
            String sql,
            List<StoreRequest<T>> requests,
            Comparator<StoreRequest<T>> keyOrder,
            Columns<T> columns,
            KeyReader keys)
            throws SQLException {
        List<StoreRequest<T>> rows = new ArrayList<>(requests);
        rows.sort(keyOrder);
        Set<String> inserted = new HashSet<>();
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            columns.bind(new ArrayParameters<>(insert, rows));
            try (ResultSet returned = insert.executeQuery()) {
                while (returned.next()) {
                    inserted.add(keys.key(returned));
                }
            }
        }
        return inserted;
    }
}
