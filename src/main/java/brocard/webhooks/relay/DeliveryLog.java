package brocard.webhooks.relay;

import brocard.webhooks.db.Jdbc;
import brocard.webhooks.relay.directory.RouteTarget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The record of every (code, route) delivery: what makes the relay idempotent. A row is created once (unique on
 * code and route) and moves from {@code pending} to exactly one final status; a route whose row is final is never
 * sent the code again, however often Kafka redelivers the event.
 */
@ApplicationScoped
public class DeliveryLog {

    private static final String INSERT = """
            insert into otp_delivery (otp_id, recipient_id, route_id, channel, fallback, status, received_at,
                created_at)
            values (?, ?, ?, ?, ?, ?, ?, now())
            on conflict (otp_id, coalesce(route_id, 0)) do nothing""";
    private static final String PENDING_ROUTES =
            "select route_id from otp_delivery where otp_id = ? and status = 'pending' and route_id is not null";
    private static final String FINISH = """
            update otp_delivery set status = ?, attempts = ?, finished_at = now(), latency_ms = ?, last_error = ?
            where otp_id = ? and route_id = ? and status = 'pending'""";

    private final Jdbc jdbc;

    public DeliveryLog(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records the planned deliveries (once) and returns the routes still to be attempted: those not already final
     * from an earlier delivery of the same event.
     */
    @Transactional
    public List<RouteTarget> plan(OtpMessage message, List<RouteTarget> routes, boolean fallback) {
        for (RouteTarget route : routes) {
            jdbc.update(INSERT, message.otpId(), message.recipientId(), route.routeId(), route.channel().wireName(),
                    fallback, "pending", message.receivedAt());
        }
        Set<Long> pending = jdbc.query(PENDING_ROUTES, row -> row.getLong(1), message.otpId()).stream()
                .collect(Collectors.toSet());
        return routes.stream().filter(route -> pending.contains(route.routeId())).toList();
    }

    /** A code that had no route at all: recorded once, for an operator (and an alert). */
    @Transactional
    public boolean recordUnroutable(OtpMessage message) {
        return jdbc.update(INSERT, message.otpId(), message.recipientId(), null, null, false, "unroutable",
                message.receivedAt()) == 1;
    }

    /** Moves a pending delivery to its final status; false if it was already final. */
    @Transactional
    public boolean finish(OtpMessage message, RouteTarget route, DeliveryOutcome outcome, int attempts,
                          String errorClass) {
        Long latencyMs = outcome == DeliveryOutcome.DELIVERED
                ? Math.max(0, Instant.now().toEpochMilli() - message.receivedAt().toEpochMilli()) : null;
        return jdbc.update(FINISH, outcome.wireName(), attempts, latencyMs, errorClass, message.otpId(),
                route.routeId()) == 1;
    }
}
