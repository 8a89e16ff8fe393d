package brocard.webhooks.ingest;

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

/** A webhook whose dedup key was already stored with a different body. The first body won; this one is kept here. */
@Entity
@Table(name = "dedup_conflict")
public class DedupConflict extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "webhook_type", nullable = false)
    public String webhookType;

    /** The key that collided, e.g. {@code 42} for a refund or {@code 42/1} for a payment in state 1. */
    @Column(name = "dedup_key", nullable = false)
    public String dedupKey;

    /** The refused body, secrets removed. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public String body;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
}
