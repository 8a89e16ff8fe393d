package brocard.webhooks.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the database alone sustains on this machine: durable inserts of ~1 KB jsonb rows over JDBC, from as many
 * connections as the service's pool, in a schema of its own (dropped afterwards, so the service's migrations find the
 * database as they expect). The service's accepted/s divided by the single-row figure says how much of the
 * database's capacity the service turns into accepted webhooks.
 */
final class DatabaseBaseline {

    /** Rows written durably, one transaction per {@code rowsPerTransaction} rows. */
    record Result(int connections, int rowsPerTransaction, long rows, double seconds) {
        double rowsPerSecond() {
            return seconds > 0 ? rows / seconds : 0;
        }
    }

    private static final String INSERT =
            "insert into bench.bench_baseline (id, body) values (?, ?::jsonb) on conflict do nothing";
    private static final AtomicLong IDS = new AtomicLong();

    private final String jdbcUrl;
    private final String user;

    DatabaseBaseline(String jdbcUrl, String user) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
    }

    Result run(int connections, int rowsPerTransaction, Duration duration, String body) throws Exception {
        execute(
                "create schema if not exists bench",
                "create table if not exists bench.bench_baseline (id bigint primary key, body jsonb not null)");
        LongAdder rows = new LongAdder();
        ExecutorService writers = Executors.newFixedThreadPool(connections);
        try {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                done.add(writers.submit(() -> {
                    write(rowsPerTransaction, end, body, rows);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return new Result(connections, rowsPerTransaction, rows.sum(), (System.nanoTime() - start) / 1e9);
        } finally {
            writers.shutdownNow();
        }
    }

    /** Removes the baseline's schema. */
    void drop() throws SQLException {
        execute("drop schema if exists bench cascade");
    }

    private void write(int rowsPerTransaction, long endNanos, String body, LongAdder rows) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, "");
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            connection.setAutoCommit(rowsPerTransaction == 1);
            while (System.nanoTime() < endNanos) {
                if (rowsPerTransaction == 1) {
                    insert.setLong(1, IDS.incrementAndGet());
                    insert.setString(2, body);
                    insert.executeUpdate();
                } else {
                    for (int i = 0; i < rowsPerTransaction; i++) {
                        insert.setLong(1, IDS.incrementAndGet());
                        insert.setString(2, body);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    connection.commit();
                }
                rows.add(rowsPerTransaction);
            }
        }
    }

    private void execute(String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, "");
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
