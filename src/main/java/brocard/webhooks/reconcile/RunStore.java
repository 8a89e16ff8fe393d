package brocard.webhooks.reconcile;

import brocard.webhooks.db.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@code reconciliation_run} table (V9): one row per run, written as it starts, claims the lock and ends. */
@ApplicationScoped
public class RunStore {

    private static final String COLUMNS = "id, trigger, window_from, window_to, kinds, status, scanned, recovered, "
            + "already_known, conflicts, invalid, error, started_at, finished_at";

    private final Jdbc jdbc;

    public RunStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    long create(RunTrigger trigger, ReconcileWindow window, List<RunKind> kinds) {
        return jdbc.query(
                        """
                        insert into reconciliation_run (trigger, window_from, window_to, kinds, status, started_at)
                        values (?, ?, ?, ?::text[], 'running', now()) returning id""",
                        row -> row.getLong(1),
                        trigger.wireName(),
                        window.from(),
                        window.to(),
                        kinds.stream().map(RunKind::wireName).toArray(String[]::new))
                .get(0);
    }

    /**
     * Marks the run as begun, under the sweep lock. Holding the lock, this replica knows no other run is active:
     * a run still "running" after it had begun was cut off by a replica that stopped, and is failed here so it does
     * not show as running forever. One that never began within a day waited on a replica that is gone.
     */
    void claim(long id) {
        jdbc.update(
                """
                update reconciliation_run set status = 'failed', finished_at = now(),
                    error = case when claimed_at is null then 'Never started: the replica it waited on stopped'
                                 else 'Interrupted: the replica running it stopped' end
                where status = 'running' and id <> ?
                  and (claimed_at is not null or started_at < now() - interval '1 day')""",
                id);
        jdbc.update("update reconciliation_run set claimed_at = now() where id = ?", id);
    }

    void progress(long id, RunCounts counts) {
        jdbc.update(
                """
                update reconciliation_run set scanned = ?, recovered = ?, already_known = ?, conflicts = ?,
                    invalid = ? where id = ?""",
                counts.scanned,
                counts.recovered,
                counts.alreadyKnown,
                counts.conflicts,
                counts.invalid,
                id);
    }

    void finish(long id, RunCounts counts, String error) {
        progress(id, counts);
        jdbc.update(
                "update reconciliation_run set status = ?, error = ?, finished_at = now() where id = ?",
                error == null ? ReconciliationRun.SUCCEEDED : ReconciliationRun.FAILED,
                error,
                id);
    }

    public Optional<ReconciliationRun> find(long id) {
        return jdbc.query("select " + COLUMNS + " from reconciliation_run where id = ?", RunStore::map, id).stream()
                .findFirst();
    }

    /** Newest first. */
    public List<ReconciliationRun> recent(int limit) {
        return jdbc.query(
                "select " + COLUMNS + " from reconciliation_run order by id desc limit ?", RunStore::map, limit);
    }

    /** When the last scheduled sweep that succeeded ended, on any replica. */
    Optional<Instant> lastSuccessfulSweep() {
        return jdbc
                .query(
                        """
                        select max(finished_at) from reconciliation_run
                        where trigger = 'scheduled' and status = 'succeeded'""",
                        row -> row.getObject(1, OffsetDateTime.class))
                .stream()
                .filter(java.util.Objects::nonNull)
                .map(OffsetDateTime::toInstant)
                .findFirst();
    }

    private static ReconciliationRun map(ResultSet row) throws SQLException {
        Array kinds = row.getArray("kinds");
        OffsetDateTime finished = row.getObject("finished_at", OffsetDateTime.class);
        return new ReconciliationRun(
                row.getLong("id"),
                row.getString("trigger"),
                ReconcileWindow.format(row.getObject("window_from", LocalDateTime.class)),
                ReconcileWindow.format(row.getObject("window_to", LocalDateTime.class)),
                Arrays.asList((String[]) kinds.getArray()),
                row.getString("status"),
                row.getInt("scanned"),
                row.getInt("recovered"),
                row.getInt("already_known"),
                row.getInt("conflicts"),
                row.getInt("invalid"),
                row.getString("error"),
                row.getObject("started_at", OffsetDateTime.class).toInstant(),
                finished == null ? null : finished.toInstant());
    }
}
