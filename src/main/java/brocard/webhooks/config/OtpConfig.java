package brocard.webhooks.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How 3-D Secure codes are protected at rest and in Kafka. */
@ConfigMapping(prefix = "brocard.otp")
public interface OtpConfig {

    /**
     * Base64 of a 32-byte AES key (env {@code BROCARD_OTP_ENCRYPTION_KEY}) that encrypts codes and passwords with
     * AES-256-GCM. Required: no default, so prod refuses to start without it.
     */
    String encryptionKey();

    /** How long an encrypted code is kept after receipt before it is purged from the database. */
    @WithDefault("10m")
    Duration secretTtl();

    /** How often expired secrets are looked for and purged. */
    @WithDefault("15s")
    Duration purgeInterval();
}
