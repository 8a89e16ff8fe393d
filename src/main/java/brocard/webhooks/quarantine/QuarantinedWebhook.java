package brocard.webhooks.quarantine;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.UUID;

/**
 * A refused webhook, kept so that nothing Brocard sent is lost: an operator inspects it and re-ingests it once the
 * cause is fixed. The body is stored encrypted (it may hold an OTP code); a preview without secrets is kept for
 * reading.
 */
@Entity
@Table(name = "quarantined_webhook")
public class QuarantinedWebhook extends PanacheEntityBase {

    /** Also the {@code request_id} returned to the sender in the error body. */
    @Id
    public UUID id;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    /** Which URL it was posted to ({@code COMBINED}, {@code PAYMENTS}, {@code REFUNDS}, {@code THREE_DS}). */
    @Column(nullable = false)
    public String endpoint;

    /**
     * {@code UNSUPPORTED_MEDIA_TYPE}, {@code MALFORMED_JSON}, {@code INVALID_FIELDS} or {@code UNSTORABLE_VALUE}: an
     * {@link brocard.webhooks.inbound.InvalidWebhookException.Reason}.
     */
    @Column(nullable = false)
    public String reason;

    @Column(name = "http_status", nullable = false)
    public int httpStatus;

    @Column(nullable = false)
    public String message;

    /** Field errors in Brocard's format, as answered. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "field_errors", nullable = false, columnDefinition = "jsonb")
    public String fieldErrors;

    @Column(name = "content_type")
    public String contentType;

    @Column(name = "remote_address")
    public String remoteAddress;

    @Column(name = "user_agent")
    public String userAgent;

    @Column(name = "body_size", nullable = false)
    public int bodySize;

    /** AES-256-GCM of the raw bytes, bound to this row's id; null once purged (see {@link #mayContainSecret}). */
    @Column(name = "body_encrypted")
    public byte[] bodyEncrypted;

    /** The kid of the master key that sealed {@link #bodyEncrypted}; null: sealed before the keyring. */
    @Column(name = "body_kid")
    public String bodyKid;

    /** The body may hold a 3DS code or password, so it is purged after the secret TTL like every other copy. */
    @Column(name = "may_contain_secret", nullable = false)
    public boolean mayContainSecret;

    /** The body without secrets, when it is a JSON object; null otherwise. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "body_preview", columnDefinition = "jsonb")
    public String bodyPreview;

    @Column(name = "replayed_at")
    public Instant replayedAt;

    /** Outcome of the last replay: {@code accepted}, {@code duplicate} or the reason it was refused again. */
    @Column(name = "replay_outcome")
    public String replayOutcome;
}
