package brocard.webhooks.outbox;

import brocard.webhooks.db.SqlArrays;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Queues events in the outbox, inside the transaction that stores their webhooks: one statement for a whole batch.
 * Rows get their ids in the order given (arrival order), which is the order the publisher keeps per key.
 */
@ApplicationScoped
public class OutboxWriter {

    /** Table outbox_event (V1 migration) is the publisher's work queue; see {@link OutboxBatchPublisher}. */
    private static final String INSERT = """
            insert into outbox_event (event_id, topic, record_key, event_type, subject, event_time, payload,
                contains_secret, created_at, next_attempt_at)
            select e.event_id, e.topic, e.record_key, e.event_type, e.subject, e.event_time, e.payload,
                   e.contains_secret, clock_timestamp(), now()
            from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::bool[])
                with ordinality as e(event_id, topic, record_key, event_type, subject, event_time, payload,
                                     contains_secret, position)
            order by e.position""";

    public void enqueue(Connection connection, List<EventDraft> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        SqlArrays arrays = new SqlArrays(connection);
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setArray(1, arrays.uuids(events, EventDraft::eventId));
            insert.setArray(2, arrays.texts(events, EventDraft::topic));
            insert.setArray(3, arrays.texts(events, EventDraft::key));
            insert.setArray(4, arrays.texts(events, EventDraft::type));
            insert.setArray(5, arrays.texts(events, EventDraft::subject));
            insert.setArray(6, arrays.instants(events, EventDraft::time));
            insert.setArray(7, arrays.texts(events, EventDraft::data));
            insert.setArray(8, arrays.booleans(events, EventDraft::containsSecret));
            insert.executeUpdate();
        }
    }
}
