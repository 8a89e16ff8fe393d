package brocard.webhooks.ingest;

import brocard.webhooks.db.ArrayParameters;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The look-up shared by event tables whose dedup key is one id (refunds, 3DS codes). */
public final class StoredFingerprints {

    private StoredFingerprints() {}

    /**
     * Runs {@code select id, fingerprint from … where id = any(?)} for the requests' ids.
     *
     * @return fingerprints keyed by the id as text (the dedup key of such kinds)
     */
    public static <T> Map<String, byte[]> byId(
            Connection connection, String sql, List<StoreRequest<T>> requests, Function<StoreRequest<T>, Long> id)
            throws SQLException {
        Map<String, byte[]> stored = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            new ArrayParameters<>(select, requests).longs(id);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    stored.put(Long.toString(rows.getLong(1)), rows.getBytes(2));
                }
            }
        }
        return stored;
    }
}
