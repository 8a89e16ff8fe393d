package brocard.webhooks.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** How 3-D Secure codes are protected at rest and in Kafka. */
@ConfigMapping(prefix = "brocard.otp")
public interface OtpConfig {

    /**
     * Base64 of a 32-byte key (env {@code BROCARD_OTP_ENCRYPTION_KEY}): the single key of earlier versions, still
     * accepted as a one-key ring or next to {@code brocard.keys} (see {@code security.Keyring}). One of the two is
     * required: prod refuses to start without a key.
     */
    Optional<String> encryptionKey();

    /** How long an encrypted code is kept after receipt before it is purged from the database. */
    @WithDefault("10m")
    Duration secretTtl();

    /** How often expired secrets are looked for and purged. */
    @WithDefault("15s")
    Duration purgeInterval();
}
