package brocard.webhooks.quarantine;

import brocard.webhooks.audit.AuditLog;
import brocard.webhooks.db.Jdbc;
import brocard.webhooks.inbound.Endpoint;
import brocard.webhooks.inbound.InvalidWebhookException;
import brocard.webhooks.inbound.RawWebhook;
import brocard.webhooks.json.Json;
import brocard.webhooks.json.StorableJson;
import brocard.webhooks.security.KeyPurpose;
import brocard.webhooks.security.Keyring;
import brocard.webhooks.security.PurposeCipher;
import brocard.webhooks.security.SecretFields;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Keeps refused webhooks, encrypted, with the reason and the request's metadata. */
@ApplicationScoped
public class QuarantineService {

    // Metric names of this feature, in one place (Prometheus names in docs/operations.md).
    static final String STORED = "brocard.quarantine.stored";

    private static final Logger LOG = Logger.getLogger(QuarantineService.class);

    private final PurposeCipher cipher;
    private final MeterRegistry registry;
    private final Jdbc jdbc;
    private final AuditLog audit;

    public QuarantineService(Keyring keyring, MeterRegistry registry, Jdbc jdbc, AuditLog audit) {
        this.cipher = keyring.cipher(KeyPurpose.QUARANTINE);
        this.registry = registry;
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /** Stores the refused request in its own transaction and returns its id. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public UUID store(RawWebhook raw, InvalidWebhookException error) {
        QuarantinedWebhook entry = new QuarantinedWebhook();
        entry.id = UUID.randomUUID();
        entry.receivedAt = Instant.now();
        entry.endpoint = raw.endpoint().name();
        entry.reason = error.reason().name();
        entry.httpStatus = error.reason().httpStatus();
        entry.message = error.getMessage();
        entry.fieldErrors = Json.write(error.fieldErrors());
        entry.contentType = truncate(raw.contentType());
        entry.remoteAddress = truncate(raw.remoteAddress());
        entry.userAgent = truncate(raw.userAgent());
        entry.bodySize = raw.body().length;
        PurposeCipher.Sealed body = cipher.seal(raw.body(), context(entry.id));
        entry.bodyEncrypted = body.ciphertext();
        entry.bodyKid = body.kid();
        entry.mayContainSecret = mayContainSecret(raw);
        entry.bodyPreview = preview(raw.body());
        entry.persist();
        registry.counter(STORED, "reason", entry.reason.toLowerCase()).increment();
        // Field names only, never values: a value may be an OTP code.
        LOG.warnf(
                "Quarantined webhook %s from %s: %s %s",
                entry.id, entry.endpoint, entry.reason, error.fieldErrors().keySet());
        return entry.id;
    }

    /**
     * Records a replay on the quarantine row and, in the same transaction, in the audit log.
     *
     * @param actor      the operator who replayed it
     * @param replayedTo the URL it was re-ingested as (the original one unless the operator chose another)
     * @param outcome    {@code accepted}, {@code duplicate} or the reason it was refused again
     */
    @Transactional
    public void recordReplay(UUID id, String outcome, String actor, Endpoint replayedTo) {
        QuarantinedWebhook entry = QuarantinedWebhook.findById(id);
        entry.replayedAt = Instant.now();
        entry.replayOutcome = outcome;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("endpoint", entry.endpoint);
        details.put("replayedTo", replayedTo.name());
        details.put("reason", entry.reason);
        details.put("outcome", outcome);
        audit.record(actor, "quarantine.replay", "quarantine/" + id, details);
    }

    /** The original bytes of a quarantined body, for replay. */
    public byte[] originalBody(QuarantinedWebhook entry) {
        return cipher.openStored(entry.bodyKid, entry.bodyEncrypted, context(entry.id));
    }

    /**
     * Re-seals up to {@code batch} stored bodies that another key (or the pre-keyring raw key) sealed, under the
     * current key; rows another replica is re-sealing are skipped. Key rotation, see docs/operations.md.
     *
     * @return how many were re-sealed (fewer than {@code batch}: done)
     */
    @Transactional
    public int resealBatch(int batch) {
        String current = cipher.currentKid();
        List<Object[]> rows = jdbc.query(
                """
                select id, body_kid, body_encrypted from quarantined_webhook
                where body_encrypted is not null and body_kid is distinct from ?
                limit ? for update skip locked""",
                row -> new Object[] {row.getObject(1, UUID.class), row.getString(2), row.getBytes(3)},
                current,
                batch);
        for (Object[] row : rows) {
            UUID id = (UUID) row[0];
            byte[] body = cipher.openStored((String) row[1], (byte[]) row[2], context(id));
            PurposeCipher.Sealed sealed = cipher.seal(body, context(id));
            jdbc.update(
                    "update quarantined_webhook set body_encrypted = ?, body_kid = ? where id = ?",
                    sealed.ciphertext(),
                    sealed.kid(),
                    id);
        }
        return rows.size();
    }

    /** How many stored bodies each kid sealed ("legacy": before the keyring). */
    public Map<String, Long> countByKid() {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.query(
                "select coalesce(body_kid, 'legacy'), count(*) from quarantined_webhook "
                        + "where body_encrypted is not null group by 1",
                row -> counts.put(row.getString(1), row.getLong(2)));
        return counts;
    }

    /**
     * The body without secrets, for reading; null when it is not a JSON object or holds anything jsonb cannot (NUL,
     * lone surrogates, numbers beyond {@code numeric}): quarantine must never fail on content, and the encrypted
     * bytes keep the body whole anyway.
     */
    private static String preview(byte[] body) {
        try {
            ObjectNode withoutSecrets = SecretFields.withoutSecrets(Json.parseObject(body));
            return StorableJson.problems(withoutSecrets).isEmpty() ? Json.write(withoutSecrets) : null;
        } catch (InvalidWebhookException notAJsonObject) {
            return null;
        }
    }

    /**
     * Whether a refused body may be a 3DS webhook, judged without trusting its (possibly broken) structure: sent to the
     * 3DS URL, or mentioning its type or a password anywhere.
     */
    private static boolean mayContainSecret(RawWebhook raw) {
        String text = new String(raw.body(), StandardCharsets.UTF_8);
        return raw.endpoint() == Endpoint.THREE_DS || text.contains("otp_code") || text.contains("\"password\"");
    }

    private static String context(UUID id) {
        return "brocard.quarantine/" + id;
    }

    /** A header as a text column takes it: at most 512 characters, and no NUL (which text cannot hold). */
    private static String truncate(String header) {
        if (header == null) {
            return null;
        }
        String storable = header.replace("\0", "");
        return storable.length() <= 512 ? storable : storable.substring(0, 512);
    }
}
