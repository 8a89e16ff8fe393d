package brocard.webhooks.outbox;

import brocard.webhooks.db.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Parked outbox rows and what an operator can do with them. A parked row is still the head of its key, so the key's
 * later events wait: {@link #retry} puts it back in the queue (same place, same order), {@link #skip} gives it up so
 * that they can go (the event is kept here, never published by the service).
 */
@ApplicationScoped
public class DeadLetters {

    /** One dead letter as shown to an operator; no payload (it may be personal data, and 3DS events hold secrets). */
    public record DeadLetter(
            long id,
            long outboxId,
            UUID eventId,
            String topic,
            String key,
            String eventType,
            int attempts,
            String lastError,
            Instant parkedAt,
            Instant resolvedAt,
            String resolution,
            String resolvedBy,
            long laterEventsWaiting) {}

    /** Why an operator action was refused. */
    public enum Refusal {
        NOT_FOUND,
        ALREADY_RESOLVED
    }

    private static final String COLUMNS =
            """
            d.id, d.outbox_id, d.event_id, d.topic, d.record_key, d.event_type, d.attempts, d.last_error, d.parked_at,
            d.resolved_at, d.resolution, d.resolved_by,
            case when d.resolved_at is null then
                (select count(*) from outbox_event o where o.topic = d.topic and o.record_key = d.record_key
                     and o.published_at is null and o.id > d.outbox_id)
            else 0 end""";
    private static final String LIST = "select " + COLUMNS + " from outbox_dead_letter d "
            + "where (? or d.resolved_at is null) order by d.parked_at desc, d.id desc limit ? offset ?";
    private static final String GET = "select " + COLUMNS + " from outbox_dead_letter d where d.id = ?";
    private static final String LOCK_OPEN =
            "select resolved_at is null from outbox_dead_letter where id = ? for update";
    private static final String RESOLVE =
            "update outbox_dead_letter set resolved_at = now(), resolution = ?, " + "resolved_by = ? where id = ?";
    private static final String REQUEUE =
            """
            update outbox_event set next_attempt_at = now(), permanent_failures = 0
            where id = (select outbox_id from outbox_dead_letter where id = ?) and published_at is null""";
    /** The key's later rows were parked with it (out of the claim's way); due again, they wait for it as heads do. */
    private static final String RELEASE_LATER =
            """
            update outbox_event o set next_attempt_at = now()
            from outbox_dead_letter d
            where d.id = ? and o.topic = d.topic and o.record_key = d.record_key and o.published_at is null
              and o.id > d.outbox_id and o.next_attempt_at = 'infinity'""";
    /** The event is kept with the dead letter (except a 3DS event's secrets: its code has expired anyway). */
    private static final String KEEP_PAYLOAD =
            """
            update outbox_dead_letter d set payload = case when o.contains_secret then null else o.payload end
            from outbox_event o where d.id = ? and o.id = d.outbox_id""";

    private static final String DELETE_ROW = "delete from outbox_event where id = (select outbox_id from "
            + "outbox_dead_letter where id = ?) and published_at is null";
    private static final String OPEN_COUNT = "select count(*) from outbox_dead_letter where resolved_at is null";

    private final Jdbc jdbc;

    public DeadLetters(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Newest first; only the open ones unless {@code includeResolved}. */
    @Transactional
    public List<DeadLetter> list(boolean includeResolved, int limit, int offset) {
        return jdbc.query(LIST, DeadLetters::map, includeResolved, limit, offset);
    }

    @Transactional
    public Optional<DeadLetter> get(long id) {
        return jdbc.query(GET, DeadLetters::map, id).stream().findFirst();
    }

    /** Puts the parked row back at the head of its key's queue, with a fresh budget of attempts. */
    @Transactional
    public Optional<Refusal> retry(long id, String note) {
        Optional<Refusal> refusal = lockOpen(id);
        if (refusal.isEmpty()) {
            jdbc.update(REQUEUE, id);
            jdbc.update(RELEASE_LATER, id);
            jdbc.update(RESOLVE, "retried", note, id);
        }
        return refusal;
    }

    /**
     * Gives the event up: it is removed from the outbox (kept here) and the key's later events are published. Their
     * consumers never see this one from the service; the runbook says how to publish it by hand if needed.
     */
    @Transactional
    public Optional<Refusal> skip(long id, String note) {
        Optional<Refusal> refusal = lockOpen(id);
        if (refusal.isEmpty()) {
            jdbc.update(KEEP_PAYLOAD, id);
            jdbc.update(DELETE_ROW, id);
            jdbc.update(RELEASE_LATER, id);
            jdbc.update(RESOLVE, "skipped", note, id);
        }
        return refusal;
    }

    /** Dead letters no operator has resolved yet (whole database). */
    @Transactional
    public long openCount() {
        return jdbc.query(OPEN_COUNT, r -> r.getLong(1)).get(0);
    }

    private Optional<Refusal> lockOpen(long id) {
        List<Boolean> open = jdbc.query(LOCK_OPEN, r -> r.getBoolean(1), id);
        if (open.isEmpty()) {
            return Optional.of(Refusal.NOT_FOUND);
        }
        return open.get(0) ? Optional.empty() : Optional.of(Refusal.ALREADY_RESOLVED);
    }

    private static DeadLetter map(java.sql.ResultSet r) throws java.sql.SQLException {
        OffsetDateTime resolved = r.getObject(10, OffsetDateTime.class);
        return new DeadLetter(
                r.getLong(1),
                r.getLong(2),
                r.getObject(3, UUID.class),
                r.getString(4),
                r.getString(5),
                r.getString(6),
                r.getInt(7),
                r.getString(8),
                r.getObject(9, OffsetDateTime.class).toInstant(),
                resolved == null ? null : resolved.toInstant(),
                r.getString(11),
                r.getString(12),
                r.getLong(13));
    }
}
