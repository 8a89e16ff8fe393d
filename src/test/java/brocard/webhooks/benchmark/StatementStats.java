package brocard.webhooks.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * With {@code -Dbench.statements=true}: PostgreSQL's own account of where its time goes ({@code pg_stat_statements}),
 * per run, the statements that took the most execution time first. Written to {@code pg-statements.txt} beside the
 * report; off by default, since the extension adds a little work to every statement.
 */
final class StatementStats {

    private static final String TOP =
            """
            select calls, rows, total_exec_time, mean_exec_time,
                   regexp_replace(query, '\\s+', ' ', 'g') as query
            from pg_stat_statements
            order by total_exec_time desc
            limit 15""";

    private final String jdbcUrl;
    private final String user;
    private final Path file;

    private StatementStats(String jdbcUrl, String user, Path file) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.file = file;
    }

    static boolean wanted() {
        return Boolean.getBoolean("bench.statements");
    }

    /** Call before the server starts: the extension must be preloaded. */
    static void preloadExtension() {
        System.setProperty("brocard.local.postgres.statements", "true");
    }

    static StatementStats install(String jdbcUrl, String user, Path file) throws SQLException, IOException {
        Files.deleteIfExists(file);
        StatementStats stats = new StatementStats(jdbcUrl, user, file);
        stats.execute("create extension if not exists pg_stat_statements");
        return stats;
    }

    void reset() throws SQLException {
        execute("select pg_stat_statements_reset()");
    }

    /** Appends the run's top statements to the file. */
    void write(String run) throws SQLException, IOException {
        StringBuilder text = new StringBuilder("== " + run + " ==\n");
        text.append(
                String.format(Locale.ROOT, "%9s %10s %10s %8s  %s%n", "calls", "rows", "total ms", "mean ms", "query"));
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, "");
                Statement statement = connection.createStatement();
                ResultSet r = statement.executeQuery(TOP)) {
            while (r.next()) {
                String query = r.getString(5);
                text.append(String.format(
                        Locale.ROOT,
                        "%9d %10d %10.0f %8.3f  %s%n",
                        r.getLong(1),
                        r.getLong(2),
                        r.getDouble(3),
                        r.getDouble(4),
                        query.length() > 220 ? query.substring(0, 220) + "…" : query));
            }
        }
        Files.writeString(file, text.append('\n'), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
