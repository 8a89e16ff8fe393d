package brocard.webhooks.support;

import io.agroal.api.AgroalDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * Holds a table lock that the ingest writer's insert waits for, so a test can decide what queues up behind a batch
 * and form the next one on purpose. Released (rolled back) on close.
 */
public final class WriterBlock implements AutoCloseable {

    private final AgroalDataSource dataSource;
    private final Connection connection;

    private WriterBlock(AgroalDataSource dataSource, String table) throws SQLException {
        this.dataSource = dataSource;
        this.connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            // Conflicts with the ROW EXCLUSIVE lock of an INSERT; readers are not blocked.
            statement.execute("lock table " + table + " in share row exclusive mode");
        }
    }

    public static WriterBlock on(AgroalDataSource dataSource, String table) throws SQLException {
        return new WriterBlock(dataSource, table);
    }

    /** Waits until some session (the writer) is waiting for this lock. */
    public void awaitWriterBlocked() {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            try (Connection c = dataSource.getConnection();
                    Statement s = c.createStatement();
                    var rows = s.executeQuery("select count(*) from pg_locks where not granted")) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        });
    }

    @Override
    public void close() throws SQLException {
        connection.rollback();
        connection.close();
    }
}
