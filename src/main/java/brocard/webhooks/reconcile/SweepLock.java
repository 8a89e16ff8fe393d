package brocard.webhooks.reconcile;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * One run at a time across all replicas: a PostgreSQL session advisory lock, held by a connection of its own for
 * the whole run. If the replica dies, its connection closes and PostgreSQL releases the lock; no lease to expire,
 * no clock to trust. (Runs overlapping would still be correct, deduplication sees to that; the lock spares
 * Brocard's API and our rate limit the double work.)
 */
@ApplicationScoped
public class SweepLock {

    /** "brocard" in ASCII: the advisory lock key of reconciliation (no other lock of this service uses it). */
    static final long KEY = 0x62726F63617264L;

    private final AgroalDataSource dataSource;

    public SweepLock(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The lock while held; closing releases it. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** @return the lock, or empty if another run (on any replica) holds it */
    public Optional<Held> tryAcquire() {
        return acquire("select pg_try_advisory_lock(?)");
    }

    /** Waits for the lock as long as another run holds it. */
    public Held acquire() {
        return acquire("select pg_advisory_lock(?) is null or true").orElseThrow();
    }

    private Optional<Held> acquire(String sql) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            boolean locked;
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setLong(1, KEY);
                try (ResultSet row = statement.executeQuery()) {
                    locked = row.next() && row.getBoolean(1);
                }
            }
            if (!locked) {
                connection.close();
                return Optional.empty();
            }
            Connection holder = connection;
            return Optional.of(() -> release(holder));
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new IllegalStateException("Could not take the reconciliation lock: SQLState " + e.getSQLState(), e);
        }
    }

    private static void release(Connection connection) {
        try (PreparedStatement statement = connection.prepareStatement("select pg_advisory_unlock(?)")) {
            statement.setLong(1, KEY);
            statement.execute();
        } catch (SQLException e) {
            // An unlock fails only when the connection broke, and its session (with the lock) ended with it.
        } finally {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing more to release
        }
    }
}
