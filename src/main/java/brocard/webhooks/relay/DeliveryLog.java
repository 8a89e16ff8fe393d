package brocard.webhooks.relay;

import brocard.webhooks.config.RelayConfig;
import brocard.webhooks.db.Jdbc;
import io.quarkus.scheduler.Scheduled;
import brocard.webhooks.relay.directory.RouteTarget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;

/**
 * The record of every (code, route) delivery: what makes the relay idempotent. One row per code and route (unique);
 * once its status is final, that route is never sent the code again, however often Kafka redelivers the event.
 *
 * <p>Nothing is written before the first attempt: a commit costs a disk flush, and a "pending" row would not prevent a
 * duplicate anyway (a crash between the send and the final status re-sends either way, which is at-least-once). A
 * {@code pending} row appears when a delivery needs a retry, so codes in trouble are visible while they are retried.
 */
@ApplicationScoped
public class DeliveryLog {

    private static final String INSERT = """
            insert into otp_delivery (otp_id, recipient_id, route_id, channel, fallback, status, received_at,
                created_at)
            values (?, ?, ?, ?, ?, ?, ?, now())
            on conflict (otp_id, coalesce(route_id, 0)) do nothing""";
    /** Records a final status, unless another attempt already did (first final status wins). */
    private static final String FINISH = """
            insert into otp_delivery as d (otp_id, recipient_id, route_id, channel, fallback, status, attempts,
                received_at, created_at, finished_at, latency_ms, last_error)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?, ?)
            on conflict (otp_id, coalesce(route_id, 0)) do update
                set status = excluded.status, attempts = excluded.attempts, finished_at = excluded.finished_at,
                    latency_ms = excluded.latency_ms, last_error = excluded.last_error
                where d.status = 'pending'""";

    private final Jdbc jdbc;
    private final RelayConfig config;

    public DeliveryLog(Jdbc jdbc, RelayConfig config) {
        this.jdbc = jdbc;
        this.config = config;
    }

    /** Deletes log rows older than {@code brocard.relay.log-retention}. */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void deletePastRetention() {
        jdbc.update("delete from otp_delivery where created_at < ?", Instant.now().minus(config.logRetention()));
    }

    /** Makes a delivery that needs a retry visible as {@code pending} (once). */
    @Transactional
    public void recordPending(OtpMessage message, RouteTarget route, boolean fallback) {
        jdbc.update(INSERT, message.otpId(), message.recipientId(), route.routeId(), route.channel().wireName(),
                fallback, "pending", message.receivedAt());
    }

    /** A code that had no route at all: recorded once, for an operator (and an alert). */
    @Transactional
    public boolean recordUnroutable(OtpMessage message) {
        return jdbc.update(INSERT, message.otpId(), message.recipientId(), null, null, false, "unroutable",
                message.receivedAt()) == 1;
    }

    /** Records the final status of a delivery; false if it already had one. */
    @Transactional
    public boolean finish(OtpMessage message, RouteTarget route, boolean fallback, DeliveryOutcome outcome,
                          int attempts, Instant startedAt, String errorClass) {
        Long latencyMs = outcome == DeliveryOutcome.DELIVERED
                ? Math.max(0, Instant.now().toEpochMilli() - message.receivedAt().toEpochMilli()) : null;
        // Lost only if the database server itself crashes, and then the code is re-sent (at-least-once).
        jdbc.commitWithoutWaitingForFlush();
        return jdbc.update(FINISH, message.otpId(), message.recipientId(), route.routeId(),
                route.channel().wireName(), fallback, outcome.status(), attempts, message.receivedAt(), startedAt,
                latencyMs, errorClass) == 1;
    }
}
