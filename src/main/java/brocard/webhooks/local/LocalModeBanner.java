package brocard.webhooks.local;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Tells the person who ran {@code ./mvnw quarkus:dev} where the embedded infrastructure is and how to send a webhook.
 * Printing the token is deliberate and safe here: it is the local profile's fixed, public one.
 */
@ApplicationScoped
public class LocalModeBanner {

    private static final Logger LOG = Logger.getLogger(LocalModeBanner.class);

    void print(@Observes StartupEvent event, Config config) {
        if (!config.getOptionalValue("brocard.local.active", Boolean.class).orElse(false)) {
            return;
        }
        String port = config.getOptionalValue("quarkus.http.port", String.class).orElse("8080");
        String token = config.getValue("brocard.webhook.tokens", String[].class)[0];
        LOG.infof("""

                ==== brocard-webhooks local mode (embedded PostgreSQL and Kafka; data is discarded on exit) ====
                  PostgreSQL  %s  (user postgres, no password)
                  Kafka       %s  (topics %s, %s, %s)
                  Webhooks    http://localhost:%s/webhooks/brocard?token=%s
                  3DS codes   http://localhost:%s/webhooks/brocard/3ds?token=%s
                  Metrics     http://localhost:%s/q/metrics
                =================================================================================================""",
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("kafka.bootstrap.servers", String.class),
                config.getOptionalValue("brocard.topics.payments", String.class).orElse("brocard.payments"),
                config.getOptionalValue("brocard.topics.refunds", String.class).orElse("brocard.refunds"),
                config.getOptionalValue("brocard.topics.otp", String.class).orElse("brocard.otp"),
                port, token, port, token, port);
    }
}
