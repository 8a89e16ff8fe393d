package brocard.webhooks.relay.channel;

import brocard.webhooks.config.RelayConfig;
import brocard.webhooks.config.SmtpConfig;
import brocard.webhooks.relay.directory.Channel;
import brocard.webhooks.relay.directory.RouteTarget;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * E-mail over SMTP ({@code brocard.relay.smtp.*}) with the Vert.x mail client, bounded by the relay's request timeout.
 * (Not Quarkus Mailer: it brings Qute, whose dev-mode debugger is not served at our Quarkus version, and a mock mode
 * that prints every e-mail, code included, to the log.)
 */
@ApplicationScoped
public class EmailChannel implements DeliveryChannel {

    private final MailClient client;
    private final SmtpConfig smtp;
    private final RelayConfig config;

    public EmailChannel(Vertx vertx, SmtpConfig smtp, RelayConfig config) {
        this.smtp = smtp;
        this.config = config;
        MailConfig mail = new MailConfig()
                .setHostname(smtp.host())
                .setPort(smtp.port())
                .setSsl(smtp.tls())
                .setStarttls(StartTLSOptions.valueOf(smtp.startTls().name()))
                .setLogin(smtp.username().isPresent() ? LoginOption.REQUIRED : LoginOption.DISABLED)
                .setUsername(smtp.username().orElse(null))
                .setPassword(smtp.password().orElse(null));
        this.client = MailClient.create(vertx, mail);
    }

    @PreDestroy
    void close() {
        client.close();
    }

    @Override
    public Channel channel() {
        return Channel.EMAIL;
    }

    @Override
    public void send(RouteTarget route, OtpMessage message) throws DeliveryException {
        MailMessage mail = new MailMessage()
                .setFrom(smtp.from())
                .setTo(route.target())
                .setSubject("Your 3-D Secure code (card •••• "
                        + (message.cardLastFour() == null ? "????" : message.cardLastFour()) + ")")
                .setText(message.text());
        try {
            client.sendMail(mail)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw DeliveryException.retryable("timeout");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryException.retryable("interrupted");
        } catch (ExecutionException e) {
            // SMTP errors quote the server's reply, not our message; the class is enough to classify.
            throw DeliveryException.retryable(e.getCause().getClass().getSimpleName());
        }
    }
}
