package brocard.webhooks.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A real PostgreSQL server (zonky's packaged binaries) run as a child process, for the local run command and the
 * tests. Lives in the {@code local} package because its library has Maven scope {@code provided}: it is never part
 * of the packaged application, and nothing outside this package may reference it.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final String USER = "postgres";
    private static final String DATABASE = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts a fresh, empty server on a free port. */
    public static EmbeddedPostgresServer start() {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (Boolean.getBoolean("brocard.local.postgres.statements")) {
                // Diagnostics only (the benchmark's -Dbench.statements): per-statement CPU and row counts.
                builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
            }
            return new EmbeddedPostgresServer(builder
                    // zonky turns durability off for speed; the service's contract ("200 means durably stored")
                    // and the benchmark figures only mean something with it on.
                    .setServerConfig("synchronous_commit", "on")
                    // Off only for a diagnostic run (-Dbrocard.local.postgres.fsync=off): measures what disk flushes
                    // cost on this machine. Never off by default.
                    .setServerConfig("fsync", System.getProperty("brocard.local.postgres.fsync", "on"))
                    .setServerConfig("max_connections", "200")
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL server", e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, DATABASE);
    }

    public int port() {
        return postgres.getPort();
    }

    public String username() {
        return USER;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the embedded PostgreSQL server", e);
        }
    }
}
