package brocard.webhooks.db;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Column arrays for multi-row statements of the form {@code insert … select * from unnest(?::int8[], ?::text[], …)}:
 * one statement and one round trip for a whole batch, with the same SQL text whatever the batch size (so the server
 * keeps one prepared plan). Numbers and instants travel as text and are cast by the statement ({@code ?::numeric[]},
 * {@code ?::timestamptz[]}), which keeps them exact.
 */
final class SqlArrays {

    private final Connection connection;

    SqlArrays(Connection connection) {
        this.connection = connection;
    }

    <T> Array longs(List<T> rows, Function<T, Long> column) throws SQLException {
        return connection.createArrayOf("int8", rows.stream().map(column).toArray(Long[]::new));
    }

    <T> Array texts(List<T> rows, Function<T, String> column) throws SQLException {
        return connection.createArrayOf("text", rows.stream().map(column).toArray(String[]::new));
    }

    <T> Array uuids(List<T> rows, Function<T, UUID> column) throws SQLException {
        return connection.createArrayOf("uuid", rows.stream().map(column).toArray(UUID[]::new));
    }

    <T> Array booleans(List<T> rows, Function<T, Boolean> column) throws SQLException {
        return connection.createArrayOf("bool", rows.stream().map(column).toArray(Boolean[]::new));
    }

    <T> Array bytes(List<T> rows, Function<T, byte[]> column) throws SQLException {
        return connection.createArrayOf("bytea", rows.stream().map(column).toArray(byte[][]::new));
    }

    /** Exact decimals as text; bind to {@code ?::numeric[]}. */
    <T> Array decimals(List<T> rows, Function<T, BigDecimal> column) throws SQLException {
        return connection.createArrayOf(
                "text",
                rows.stream()
                        .map(column)
                        .map(value -> value == null ? null : value.toPlainString())
                        .toArray(String[]::new));
    }

    /** Instants as ISO-8601 text in UTC; bind to {@code ?::timestamptz[]}. */
    <T> Array instants(List<T> rows, Function<T, Instant> column) throws SQLException {
        return connection.createArrayOf(
                "text",
                rows.stream()
                        .map(column)
                        .map(value -> value == null ? null : value.toString())
                        .toArray(String[]::new));
    }
}
