package brocard.webhooks.relay.directory;

import brocard.webhooks.db.Jdbc;
import brocard.webhooks.relay.directory.RecipientRequest.RouteRequest;
import brocard.webhooks.security.KeyPurpose;
import brocard.webhooks.security.Keyring;
import brocard.webhooks.security.PurposeCipher;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The recipient directory: who gets a cardholder's codes, and how. Requests are validated by the caller. */
@ApplicationScoped
public class RecipientDirectory {

    /** Enabled routes, each with whether this code already has a final status there (a redelivery). */
    private static final String ROUTES_FOR_CODE =
            """
            select r.display_name, d.id, d.channel, d.target, d.secret_encrypted, d.secret_kid,
                   exists (select 1 from otp_delivery f
                           where f.otp_id = ? and f.code_fingerprint is not distinct from ?::bytea and f.route_id = d.id
                                 and f.status not in ('pending', 'claimed')) as finished
            from recipient r left join delivery_route d on d.recipient_id = r.recipient_id and d.enabled
            where r.recipient_id = ?
            order by d.position""";

    /**
     * A recipient's enabled routes for one code.
     *
     * @param enabled   every enabled route (empty: the recipient has none, the code is unroutable)
     * @param toAttempt those the code has not reached a final status on yet
     */
    public record RoutePlan(List<RouteTarget> enabled, List<RouteTarget> toAttempt) {}

    private final PurposeCipher cipher;
    private final Jdbc jdbc;
    private final DirectoryAudit audit;

    public RecipientDirectory(Keyring keyring, Jdbc jdbc, DirectoryAudit audit) {
        this.cipher = keyring.cipher(KeyPurpose.ROUTE_SECRETS);
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /**
     * @param actor the operator making the change (the audit log's actor)
     * @return false if the recipient already exists (nothing changed)
     */
    @Transactional
    public boolean create(RecipientRequest request, String actor) {
        if (Recipient.findById(request.recipientId()) != null) {
            return false;
        }
        audit.record(
                actor,
                "recipient.create",
                request.recipientId(),
                null,
                DirectoryAudit.snapshot(save(request.recipientId(), request)));
        return true;
    }

    /** Creates or replaces the recipient and all its routes. */
    @Transactional
    public RecipientView replace(long recipientId, RecipientRequest request, String actor) {
        Map<String, Object> before = DirectoryAudit.snapshot(Recipient.findById(recipientId));
        Recipient saved = save(recipientId, request);
        audit.record(
                actor,
                before == null ? "recipient.create" : "recipient.replace",
                recipientId,
                before,
                DirectoryAudit.snapshot(saved));
        return RecipientView.of(saved);
    }

    /** Replaces every recipient in the list, all or nothing; one audit row per recipient. */
    @Transactional
    public int importAll(List<RecipientRequest> requests, String actor) {
        requests.forEach(request -> {
            Map<String, Object> before = DirectoryAudit.snapshot(Recipient.findById(request.recipientId()));
            audit.record(
                    actor,
                    "recipient.import",
                    request.recipientId(),
                    before,
                    DirectoryAudit.snapshot(save(request.recipientId(), request)));
        });
        return requests.size();
    }

    @Transactional
    public boolean delete(long recipientId, String actor) {
        Map<String, Object> before = DirectoryAudit.snapshot(Recipient.findById(recipientId));
        if (before == null || !Recipient.deleteById(recipientId)) {
            return false;
        }
        audit.record(actor, "recipient.delete", recipientId, before, null);
        return true;
    }

    @Transactional
    public Optional<RecipientView> find(long recipientId) {
        return Recipient.<Recipient>findByIdOptional(recipientId).map(RecipientView::of);
    }

    @Transactional
    public List<RecipientView> list() {
        return Recipient.<Recipient>listAll(Sort.by("recipientId")).stream()
                .map(RecipientView::of)
                .toList();
    }

    /**
     * The recipient's enabled routes for this code (code id and code fingerprint), secrets decrypted, in the operator's order; empty if the
     * recipient is not in the directory. On every code's path, so one plain read, outside any transaction.
     */
    public Optional<RoutePlan> routesFor(long recipientId, long otpId, byte[] codeFingerprint) {
        List<RouteTarget> enabled = new ArrayList<>();
        List<RouteTarget> toAttempt = new ArrayList<>();
        int rows = jdbc.query(
                        ROUTES_FOR_CODE,
                        row -> {
                            long routeId = row.getLong(2);
                            if (!row.wasNull()) { // null: known recipient without an enabled route
                                byte[] secret = row.getBytes(5);
                                RouteTarget route = new RouteTarget(
                                        routeId,
                                        recipientId,
                                        row.getString(1),
                                        Channel.valueOf(row.getString(3).toUpperCase()),
                                        row.getString(4),
                                        secret == null
                                                ? null
                                                : new String(
                                                        cipher.openStored(
                                                                row.getString(6), secret, secretContext(recipientId)),
                                                        StandardCharsets.UTF_8));
                                enabled.add(route);
                                if (!row.getBoolean(7)) {
                                    toAttempt.add(route);
                                }
                            }
                            return routeId;
                        },
                        otpId,
                        codeFingerprint,
                        recipientId)
                .size();
        return rows == 0 ? Optional.empty() : Optional.of(new RoutePlan(enabled, toAttempt));
    }

    private Recipient save(long recipientId, RecipientRequest request) {
        Recipient recipient = Recipient.findById(recipientId);
        Instant now = Instant.now();
        if (recipient == null) {
            recipient = new Recipient();
            recipient.recipientId = recipientId;
            recipient.createdAt = now;
        }
        recipient.displayName = request.displayName();
        recipient.updatedAt = now;
        // A route that stays (same channel and target) keeps its id: the delivery log and the webhook-id header
        // of a code in flight refer to it.
        Map<String, DeliveryRoute> existing = new HashMap<>();
        recipient.routes.forEach(route -> existing.putIfAbsent(route.channel + " " + route.target, route));
        List<DeliveryRoute> routes = new ArrayList<>();
        for (int i = 0; i < request.routes().size(); i++) {
            RouteRequest wanted = request.routes().get(i);
            DeliveryRoute route =
                    existing.remove(wanted.channel() + " " + wanted.target().trim());
            routes.add(apply(route != null ? route : new DeliveryRoute(), recipient, i, wanted));
        }
        recipient.routes.clear();
        recipient.routes.addAll(routes);
        // Flushed so that new routes have their ids before the recipient is shown.
        recipient.persistAndFlush();
        return recipient;
    }

    private DeliveryRoute apply(DeliveryRoute route, Recipient recipient, int position, RouteRequest request) {
        route.recipient = recipient;
        route.position = position;
        route.channel = request.channel();
        route.target = request.target().trim();
        route.enabled = request.enabled() == null || request.enabled();
        route.label = request.label();
        PurposeCipher.Sealed secret = request.secret() == null
                ? null
                : cipher.seal(request.secret().getBytes(StandardCharsets.UTF_8), secretContext(recipient.recipientId));
        route.secretEncrypted = secret == null ? null : secret.ciphertext();
        route.secretKid = secret == null ? null : secret.kid();
        return route;
    }

    /**
     * Re-seals up to {@code batch} route secrets that another key (or the pre-keyring raw key) sealed, under the
     * current key; rows another replica is re-sealing are skipped. Key rotation, see docs/operations.md.
     *
     * @return how many were re-sealed (fewer than {@code batch}: done)
     */
    @Transactional
    public int resealSecretsBatch(int batch) {
        record Row(long id, long recipientId, String kid, byte[] secret) {}
        List<Row> rows = jdbc.query(
                """
                select id, recipient_id, secret_kid, secret_encrypted from delivery_route
                where secret_encrypted is not null and secret_kid is distinct from ?
                limit ? for update skip locked""",
                row -> new Row(row.getLong(1), row.getLong(2), row.getString(3), row.getBytes(4)),
                cipher.currentKid(),
                batch);
        for (Row row : rows) {
            String context = secretContext(row.recipientId());
            PurposeCipher.Sealed sealed = cipher.seal(cipher.openStored(row.kid(), row.secret(), context), context);
            jdbc.update(
                    "update delivery_route set secret_encrypted = ?, secret_kid = ? where id = ?",
                    sealed.ciphertext(),
                    sealed.kid(),
                    row.id());
        }
        return rows.size();
    }

    /** How many route secrets each kid sealed ("legacy": before the keyring). */
    public Map<String, Long> secretCountByKid() {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.query(
                "select coalesce(secret_kid, 'legacy'), count(*) from delivery_route "
                        + "where secret_encrypted is not null group by 1",
                row -> counts.put(row.getString(1), row.getLong(2)));
        return counts;
    }

    private static String secretContext(long recipientId) {
        return "brocard.relay/route-secret/" + recipientId;
    }
}
