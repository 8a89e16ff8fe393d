package brocard.webhooks.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;

/** Inbound webhook settings. */
@ConfigMapping(prefix = "brocard.webhook")
public interface WebhookConfig {

    /**
     * Tokens accepted from Brocard, comma-separated (env {@code BROCARD_WEBHOOK_TOKENS}). Several at once allow a
     * rotation without downtime. Required: no default, so prod refuses to start without it.
     */
    List<String> tokens();

    /**
     * Largest body accepted; a larger one is answered 413 without being read. Applied through
     * {@code quarkus.http.limits.max-body-size}, so it bounds every endpoint.
     */
    @WithDefault("64K")
    MemorySize maxBodySize();
}
