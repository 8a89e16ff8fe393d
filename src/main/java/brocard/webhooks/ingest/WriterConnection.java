package brocard.webhooks.ingest;

import brocard.webhooks.config.IngestConfig;
import io.agroal.api.AgroalDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The connection a writer lane keeps across batches: taken from the pool once, with explicit commits, statement and
 * lock timeouts and a network timeout, and reopened after the server or the network failed it.
 */
final class WriterConnection {

    private final AgroalDataSource dataSource;
    private final IngestConfig config;
    private Connection connection;

    WriterConnection(AgroalDataSource dataSource, IngestConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /** The open connection, opened first if there is none. */
    Connection get() throws SQLException {
        if (connection == null) {
            Connection c = dataSource.getConnection();
            try {
                c.setAutoCommit(false);
                int timeoutMillis = (int) config.statementTimeout().toMillis();
                // A hung server or network fails the batch (503) instead of holding every queued webhook forever.
                c.setNetworkTimeout(Runnable::run, timeoutMillis + 1000);
                try (Statement statement = c.createStatement()) {
                    statement.execute("set statement_timeout = " + timeoutMillis);
                    statement.execute(
                            "set lock_timeout = " + config.lockTimeout().toMillis());
                }
                c.commit();
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    /** Rolls back; a connection that cannot even do that (network, server gone) is dropped and reopened later. */
    void rollbackAfter(SQLException cause) {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
            String state = cause.getSQLState();
            if (state != null && state.startsWith("08")) {
                close();
            }
        } catch (SQLException e) {
            close();
        }
    }

    /** Hands the connection back to the pool as the pool gave it (autocommit, the pool's timeouts). */
    void close() {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("reset statement_timeout");
                statement.execute("reset lock_timeout");
            }
        } catch (SQLException ignored) {
            // Broken anyway: closing below hands it back to the pool, which discards it.
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Nothing more to release.
        }
        connection = null;
    }
}
