package brocard.webhooks.db;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain SQL for what JPA cannot say: {@code INSERT … ON CONFLICT … RETURNING} (deduplication) and
 * {@code FOR UPDATE SKIP LOCKED} (the outbox). Connections come from the same pool and join the caller's JTA
 * transaction, so these statements commit or roll back together with Hibernate's.
 */
@ApplicationScoped
public class Jdbc {

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private final AgroalDataSource dataSource;

    public Jdbc(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, params);
                ResultSet rows = statement.executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rows.next()) {
                result.add(mapper.map(rows));
            }
            return result;
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    public int update(String sql, Object... params) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, params)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    /**
     * Lets the current transaction commit without waiting for its disk flush. Only for writes whose loss in a
     * database-server crash is already covered by at-least-once delivery (an outbox row marked published, a
     * delivery's final status): they are then re-done, never lost. Never for webhook ingestion: its 200 promises
     * durability.
     */
    public void commitWithoutWaitingForFlush() {
        update("set local synchronous_commit to off");
    }

    /**
     * The same for a statement run on its own, outside a transaction: a FROM item (one row) to join in, so that the
     * statement's own implicit transaction commits without waiting for the flush. One round trip instead of three
     * ({@code set local}, the statement, {@code commit}); on the OTP relay's path, where every code makes several such
     * writes, the difference is measurable (docs/performance.md). {@code set_config(…, true)} lasts only until that
     * transaction ends, so the pooled connection keeps its default. Join it where the statement reads it for sure
     * (the only FROM item of an {@code insert … select}, or beside the target of an {@code update}); a statement that
     * changes nothing has nothing to flush either.
     */
    public static final String WITHOUT_WAITING_FOR_FLUSH =
            "(select set_config('synchronous_commit', 'off', true)) as without_waiting_for_flush";

    private static PreparedStatement prepare(Connection connection, String sql, Object[] params) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            Object value = params[i] instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : params[i];
            statement.setObject(i + 1, value);
        }
        return statement;
    }

    /** An SQL failure, without the statement's parameters (they may hold personal data). */
    public static class DatabaseException extends RuntimeException {
        DatabaseException(SQLException cause) {
            super("Database statement failed: SQLState " + cause.getSQLState(), cause);
        }
    }
}
