package brocard.webhooks.local;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Tells the person who ran {@code ./mvnw quarkus:dev} where the embedded infrastructure is, how to send a webhook and
 * how to reach the operator API. Printed last, once the application has started ({@code brocard.webhooks.Main}); the
 * embedded broker's and database's own INFO lines are silenced in the dev profile (application.properties), so
 * nothing buries it.
 *
 * <p>Printing the tokens is deliberate and safe here: they are the dev profile's fixed, public ones. A token someone
 * configured themselves (environment, system property) is never printed.
 */
@ApplicationScoped
public class LocalModeBanner {

    private static final Logger LOG = Logger.getLogger(LocalModeBanner.class);
    /** The dev profile's operator token (application.properties); anything else is not shown. */
    private static final String DEV_ADMIN_ENTRY = "local-admin:write:local-admin-token";

    private final Config config;

    LocalModeBanner(Config config) {
        this.config = config;
    }

    public void printIfLocal() {
        if (!config.getOptionalValue("brocard.local.active", Boolean.class).orElse(false)) {
            return;
        }
        String port = config.getOptionalValue("quarkus.http.port", String.class).orElse("8080");
        String base = "http://localhost:" + port;
        String token = config.getValue("brocard.webhook.tokens", String[].class)[0];
        LOG.infof(
                """

                ==== brocard-webhooks local mode (embedded PostgreSQL and Kafka; data is discarded on exit) ====
                  PostgreSQL    %s  (user postgres, no password)
                  Kafka         %s  (topics %s, %s, %s)
                  Webhooks      %s/webhooks/brocard?token=%s
                  3DS codes     %s/webhooks/brocard/3ds?token=%s
                  Operator API  %s/admin/recipients  (%s)
                  Swagger UI    %s/q/swagger-ui  (OpenAPI document: %s/q/openapi)
                  Metrics       %s/q/metrics
                =================================================================================================""",
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("kafka.bootstrap.servers", String.class),
                config.getOptionalValue("brocard.topics.payments", String.class).orElse("brocard.payments"),
                config.getOptionalValue("brocard.topics.refunds", String.class).orElse("brocard.refunds"),
                config.getOptionalValue("brocard.topics.otp", String.class).orElse("brocard.otp"),
                base,
                token,
                base,
                token,
                base,
                adminHint(),
                base,
                base,
                base);
    }

    private String adminHint() {
        String entries =
                config.getOptionalValue("brocard.admin.tokens", String.class).orElse("");
        if (entries.isBlank()) {
            return "no operator token: set BROCARD_ADMIN_TOKENS";
        }
        return entries.trim().equals(DEV_ADMIN_ENTRY)
                ? "Authorization: Bearer local-admin-token, a write token named local-admin"
                : "tokens from BROCARD_ADMIN_TOKENS";
    }
}
