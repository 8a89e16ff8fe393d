package brocard.webhooks.outbox;

import brocard.webhooks.db.ArrayParameters;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Queues events in the outbox, inside the transaction that stores their webhooks: one statement for a whole batch.
 * Rows get their ids in the order given (arrival order), which is the order the publisher keeps per key; the caller
 * takes the keys' {@link OutboxKeyLocks} first, so that across replicas too a key's ids follow commit order.
 */
@ApplicationScoped
public class OutboxWriter {

    /** Table outbox_event (V1 migration) is the publisher's work queue; see {@link OutboxBatchPublisher}. */
    private static final String INSERT =
            """
            insert into outbox_event (event_id, topic, record_key, event_type, subject, event_time, payload,
                contains_secret, origin, created_at, next_attempt_at)
            select e.event_id, e.topic, e.record_key, e.event_type, e.subject, e.event_time, e.payload,
                   e.contains_secret, e.origin, clock_timestamp(), now()
            from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::bool[],
                        ?::text[])
                with ordinality as e(event_id, topic, record_key, event_type, subject, event_time, payload,
                                     contains_secret, origin, position)
            order by e.position
            returning id, topic, record_key""";

    /**
     * @return the rows written, for the publisher to take from the writer's hand after the commit (a rolled-back
     * transaction's rows must never be handed over)
     */
    public List<QueuedEvent> enqueue(Connection connection, List<EventDraft> events) throws SQLException {
        if (events.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            new ArrayParameters<>(insert, events)
                    .uuids(EventDraft::eventId)
                    .texts(EventDraft::topic)
                    .texts(EventDraft::key)
                    .texts(EventDraft::type)
                    .texts(EventDraft::subject)
                    .instants(EventDraft::time)
                    .texts(EventDraft::data)
                    .booleans(EventDraft::containsSecret)
                    .texts(event -> event.origin().wireName());
            List<QueuedEvent> queued = new ArrayList<>(events.size());
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    queued.add(new QueuedEvent(rows.getLong(1), rows.getString(2), rows.getString(3)));
                }
            }
            return queued;
        }
    }
}
