package brocard.webhooks.outbox;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.UUID;

/**
 * One event waiting to be (or already) published to Kafka. Written in the same transaction as the webhook's own row,
 * so an event exists if and only if its webhook was stored. Holds everything the Kafka record needs, so publishing
 * (and re-publishing) never re-derives anything.
 */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** CloudEvents {@code id}: stable across re-publication, what consumers deduplicate on. */
    @Column(name = "event_id", nullable = false, unique = true)
    public UUID eventId;

    @Column(nullable = false)
    public String topic;

    /** Kafka record key: the entity whose events must stay in order. */
    @Column(name = "record_key", nullable = false)
    public String recordKey;

    /** CloudEvents {@code type}, e.g. {@code brocard.payment.settled}. */
    @Column(name = "event_type", nullable = false)
    public String eventType;

    /** CloudEvents {@code subject}, e.g. {@code payment/42}. */
    @Column(nullable = false)
    public String subject;

    /** CloudEvents {@code time}: when this service received the webhook. */
    @Column(name = "event_time", nullable = false)
    public Instant eventTime;

    /** CloudEvents {@code data} (JSON); secrets only in encrypted form. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public String payload;

    /** True until the encrypted OTP secret in the payload has been purged. */
    @Column(name = "contains_secret", nullable = false)
    public boolean containsSecret;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "published_at")
    public Instant publishedAt;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    /** Class of the last publishing error (never its message, which could quote a record). */
    @Column(name = "last_error")
    public String lastError;
}
