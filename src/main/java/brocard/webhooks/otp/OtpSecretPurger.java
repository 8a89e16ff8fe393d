package brocard.webhooks.otp;

import brocard.webhooks.config.OtpConfig;
import brocard.webhooks.db.Jdbc;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;

/**
 * Removes every stored copy of a 3DS code or password once the secret TTL has passed: the encrypted secrets in outbox
 * rows (an event still unpublished by then goes out without them: the code has expired) and quarantined bodies that
 * may be 3DS webhooks. Idempotent, so every replica may run it.
 */
@ApplicationScoped
public class OtpSecretPurger {

    private static final String PURGE_OUTBOX =
            """
            update outbox_event set payload = (payload::jsonb - 'code_encrypted' - 'password_encrypted')::text,
                contains_secret = false
            where contains_secret and created_at < ?""";
    private static final String PURGE_QUARANTINE =
            """
            update quarantined_webhook set body_encrypted = null
            where may_contain_secret and body_encrypted is not null and received_at < ?""";

    private final Jdbc jdbc;
    private final OtpConfig config;
    private final MeterRegistry registry;

    public OtpSecretPurger(Jdbc jdbc, OtpConfig config, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.config = config;
        this.registry = registry;
    }

    @Scheduled(every = "${brocard.otp.purge-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    public void purgeExpired() {
        Instant cutoff = Instant.now().minus(config.secretTtl());
        registry.counter(OtpMetricNames.SECRETS_PURGED, "store", "outbox").increment(jdbc.update(PURGE_OUTBOX, cutoff));
        registry.counter(OtpMetricNames.SECRETS_PURGED, "store", "quarantine")
                .increment(jdbc.update(PURGE_QUARANTINE, cutoff));
    }
}
