package brocard.webhooks.relay;

import brocard.webhooks.config.RelayConfig;
import brocard.webhooks.db.Jdbc;
import brocard.webhooks.relay.channel.OtpMessage;
import brocard.webhooks.relay.directory.RouteTarget;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The record of every (code, route) delivery: what makes the relay idempotent, across replicas and redeliveries. One
 * row per code id, code (its keyed fingerprint) and route (unique): a re-issued code of the same id is a new
 * delivery, a redelivery of the same code is not.
 *
 * <p>Before its first attempt an instance <em>claims</em> the (code, route): it inserts the row as {@code claimed}, with
 * itself as owner and a lease. A second copy of the event (another replica after a rebalance, a redelivery after a
 * crash, a duplicate record) finds the row and does not send: it waits until the row is final, or until the lease has
 * passed without renewal (the owner died), and only then takes the claim over. The owner renews the lease before each
 * attempt and while it waits between attempts ({@code pending}). Once the status is final, that route is never sent
 * the code again. See docs/relay.md for the window that remains (an owner that dies after the channel accepted the code
 * but before the final status was written).
 */
@ApplicationScoped
public class DeliveryLog {

    /** What {@link #claim} found. */
    public enum Claim {
        /** This instance inserted the claim: the first copy. */
        OWNED,
        /** The previous owner's lease ran out while it waited between attempts: nothing was in flight. */
        TAKEN_OVER_BETWEEN_ATTEMPTS,
        /**
         * The previous owner's lease ran out during an attempt: it may or may not have reached the channel, so the
         * code is sent again (at-least-once rather than never).
         */
        TAKEN_OVER_MID_ATTEMPT,
        /** Another copy finished this route already: nothing to do. */
        FINISHED,
        /** Another live instance holds the claim: wait and look again. */
        HELD_ELSEWHERE,
        /** A newer code of this code id (a re-issue) already reached the relay: this one must never be sent. */
        SUPERSEDED;

        public boolean mine() {
            return this == OWNED || this == TAKEN_OVER_BETWEEN_ATTEMPTS || this == TAKEN_OVER_MID_ATTEMPT;
        }
    }

    private static final String INSERT_UNROUTABLE =
            """
            insert into otp_delivery (otp_id, code_fingerprint, recipient_id, route_id, channel, fallback, status,
                received_at, created_at)
            values (?, ?, ?, null, null, false, 'unroutable', ?, now())
            on conflict (otp_id, coalesce(code_fingerprint, '\\x'::bytea), coalesce(route_id, 0)) do nothing""";
    /**
     * Whether another code of this code id, received after this one, has already reached the relay (any route, or
     * none): this code was re-issued and is stale. Parameters: code id, code fingerprint, received at.
     */
    private static final String NEWER_CODE_SEEN =
            """
            exists (select 1 from otp_delivery
                    where otp_id = ? and code_fingerprint is distinct from ?::bytea and received_at > ?)""";
    /**
     * The first claim of a (code, route), unless a newer code of the same id (a re-issue, received later) has already
     * reached the relay (any route, or none): then this one is stale and is never sent. One statement, committed on
     * its own: the relay's cost per code is mostly round trips to the database.
     */
    private static final String CLAIM =
            """
            with newer as (select %s as seen),
            claimed as (
                insert into otp_delivery (otp_id, code_fingerprint, recipient_id, route_id, channel, fallback, status,
                    received_at, created_at, owner, lease_until)
                select ?, ?::bytea, ?, ?, ?, ?, 'claimed', ?, now(), ?, now() + ? * interval '1 millisecond'
                from newer, %s
                where not newer.seen
                on conflict (otp_id, coalesce(code_fingerprint, '\\x'::bytea), coalesce(route_id, 0)) do nothing
                returning 1)
            select (select seen from newer), exists (select 1 from claimed)"""
                    .formatted(NEWER_CODE_SEEN, Jdbc.WITHOUT_WAITING_FOR_FLUSH);
    /** Takes over an unfinished claim whose lease has passed; returns the status it had (what the owner was doing). */
    private static final String TAKE_OVER =
            """
            update otp_delivery d set owner = ?, status = 'claimed',
                lease_until = now() + ? * interval '1 millisecond'
            from (select id, status from otp_delivery
                  where otp_id = ? and code_fingerprint is not distinct from ?::bytea and route_id = ? for update) previous,
                %s
            where d.id = previous.id and d.status in ('claimed', 'pending')
                and (d.lease_until is null or d.lease_until < now())
            returning previous.status"""
                    .formatted(Jdbc.WITHOUT_WAITING_FOR_FLUSH);

    private static final String STATUS =
            """
            select status from otp_delivery
            where otp_id = ? and code_fingerprint is not distinct from ?::bytea and route_id = ?""";
    private static final String NEWER_CODE = "select " + NEWER_CODE_SEEN;
    /** Renews the claim for the next attempt; no row: another instance took it over (this one stalled too long). */
    private static final String RENEW =
            """
            update otp_delivery set status = ?, attempts = ?, lease_until = now() + ? * interval '1 millisecond'
            from %s
            where otp_id = ? and code_fingerprint is not distinct from ?::bytea and route_id = ? and owner = ?
                and status in ('claimed', 'pending')"""
                    .formatted(Jdbc.WITHOUT_WAITING_FOR_FLUSH);
    /**
     * Records a final status: by the claim's owner, or by anyone when the claim is unowned or its lease has passed
     * (a code found expired before any attempt). First final status wins.
     */
    private static final String FINISH =
            """
            insert into otp_delivery as d (otp_id, code_fingerprint, recipient_id, route_id, channel, fallback, status,
                attempts, received_at, created_at, finished_at, latency_ms, last_error, owner)
            select ?, ?::bytea, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?::bigint, ?::text, ?
            from %s
            on conflict (otp_id, coalesce(code_fingerprint, '\\x'::bytea), coalesce(route_id, 0)) do update
                set status = excluded.status, attempts = excluded.attempts, finished_at = excluded.finished_at,
                    latency_ms = excluded.latency_ms, last_error = excluded.last_error, owner = excluded.owner,
                    lease_until = null
                where d.status in ('claimed', 'pending')
                    and (d.owner = excluded.owner or d.lease_until is null or d.lease_until < now())"""
                    .formatted(Jdbc.WITHOUT_WAITING_FOR_FLUSH);

    private final Jdbc jdbc;
    private final RelayConfig config;
    private final String owner;

    @Inject
    public DeliveryLog(Jdbc jdbc, RelayConfig config) {
        this(jdbc, config, defaultOwner());
    }

    /** @param owner this relay instance's name in claims: unique per process, so a restarted pod is a new owner */
    DeliveryLog(Jdbc jdbc, RelayConfig config, String owner) {
        this.jdbc = jdbc;
        this.config = config;
        this.owner = owner;
    }

    /** Host name (the pod's) plus a random suffix: readable for an operator, unique per process. */
    private static String defaultOwner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String owner() {
        return owner;
    }

    /** Deletes log rows older than {@code brocard.relay.log-retention}. */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void deletePastRetention() {
        jdbc.update(
                "delete from otp_delivery where created_at < ?", Instant.now().minus(config.logRetention()));
    }

    /**
     * Claims the (code, route) before the first attempt, unless a newer code of this id reached the relay first. Each
     * statement commits on its own without waiting for the disk flush: visible to the other replicas at once; the
     * flush only matters if the database server itself crashes, and then the worst case is the at-least-once of a
     * crash anyway.
     */
    public Claim claim(OtpMessage message, RouteTarget route, boolean fallback) {
        long lease = config.claimLease().toMillis();
        Claim first = jdbc.query(
                        CLAIM,
                        row -> row.getBoolean(1) ? Claim.SUPERSEDED : row.getBoolean(2) ? Claim.OWNED : null,
                        message.otpId(),
                        message.codeFingerprint(),
                        message.receivedAt(),
                        message.otpId(),
                        message.codeFingerprint(),
                        message.recipientId(),
                        route.routeId(),
                        route.channel().wireName(),
                        fallback,
                        message.receivedAt(),
                        owner,
                        lease)
                .get(0);
        if (first != null) {
            return first;
        }
        // The row exists: another copy's claim (live or not), or a final status.
        List<String> previous = jdbc.query(
                TAKE_OVER,
                row -> row.getString(1),
                owner,
                lease,
                message.otpId(),
                message.codeFingerprint(),
                route.routeId());
        if (!previous.isEmpty()) {
            return previous.get(0).equals("pending") ? Claim.TAKEN_OVER_BETWEEN_ATTEMPTS : Claim.TAKEN_OVER_MID_ATTEMPT;
        }
        List<String> status = jdbc.query(
                STATUS, row -> row.getString(1), message.otpId(), message.codeFingerprint(), route.routeId());
        return status.isEmpty()
                        || status.get(0).equals("claimed")
                        || status.get(0).equals("pending")
                ? Claim.HELD_ELSEWHERE
                : Claim.FINISHED;
    }

    /** Before a retry: marks the attempt under way and renews the lease. False if another instance took it over. */
    public boolean renewForAttempt(OtpMessage message, RouteTarget route, int attemptsSoFar) {
        return jdbc.update(
                        RENEW,
                        "claimed",
                        attemptsSoFar,
                        config.claimLease().toMillis(),
                        message.otpId(),
                        message.codeFingerprint(),
                        route.routeId(),
                        owner)
                == 1;
    }

    /**
     * After an attempt that needs a retry: {@code pending} (visible to operators as a code in trouble), with a lease
     * that covers the wait. False if another instance took the claim over.
     */
    public boolean waitingForRetry(OtpMessage message, RouteTarget route, int attemptsSoFar, long waitMillis) {
        return jdbc.update(
                        RENEW,
                        "pending",
                        attemptsSoFar,
                        waitMillis + config.claimLease().toMillis(),
                        message.otpId(),
                        message.codeFingerprint(),
                        route.routeId(),
                        owner)
                == 1;
    }

    /** A code that had no route at all: recorded once, for an operator (and an alert). */
    @Transactional
    public boolean recordUnroutable(OtpMessage message) {
        return jdbc.update(
                        INSERT_UNROUTABLE,
                        message.otpId(),
                        message.codeFingerprint(),
                        message.recipientId(),
                        message.receivedAt())
                == 1;
    }

    /**
     * Whether a newer code of this code id (a re-issue, received later) has already reached the relay. Asked before
     * every retry (the first attempt asks in its {@link #claim}): a stale code is then never sent, even to a route the newer one has not reached yet. A code
     * received earlier but read later (a redelivery after a crash, or two events worked on at once) thus stops here;
     * only an attempt already under way when the newer code arrives can still land after it (docs/relay.md).
     */
    public boolean newerCodeSeen(OtpMessage message) {
        return jdbc.query(
                        NEWER_CODE,
                        row -> row.getBoolean(1),
                        message.otpId(),
                        message.codeFingerprint(),
                        message.receivedAt())
                .get(0);
    }

    /**
     * Records the final status of a delivery; false if it already had one (or another live instance owns it). Not
     * waiting for the flush: lost only if the database server itself crashes, and then the code is re-sent
     * (at-least-once).
     */
    public boolean finish(
            OtpMessage message,
            RouteTarget route,
            boolean fallback,
            DeliveryOutcome outcome,
            int attempts,
            Instant startedAt,
            String errorClass) {
        Long latencyMs = outcome == DeliveryOutcome.DELIVERED
                ? Math.max(
                        0, Instant.now().toEpochMilli() - message.receivedAt().toEpochMilli())
                : null;
        return jdbc.update(
                        FINISH,
                        message.otpId(),
                        message.codeFingerprint(),
                        message.recipientId(),
                        route.routeId(),
                        route.channel().wireName(),
                        fallback,
                        outcome.status(),
                        attempts,
                        message.receivedAt(),
                        startedAt,
                        latencyMs,
                        errorClass,
                        owner)
                == 1;
    }
}
