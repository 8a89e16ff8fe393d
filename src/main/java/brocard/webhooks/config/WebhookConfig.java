package brocard.webhooks.config;

import io.smallrye.config.ConfigMapping;

import java.util.List;

/** Inbound webhook settings. */
@ConfigMapping(prefix = "brocard.webhook")
public interface WebhookConfig {

    /**
     * Tokens accepted from Brocard, comma-separated (env {@code BROCARD_WEBHOOK_TOKENS}). Several at once allow a
     * rotation without downtime. Required: no default, so prod refuses to start without it.
     */
    List<String> tokens();
}
