package brocard.webhooks.relay.channel;

import brocard.webhooks.config.RelayConfig;
import brocard.webhooks.relay.OtpMessage;
import brocard.webhooks.relay.directory.Channel;
import brocard.webhooks.relay.directory.RouteTarget;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.TimeoutException;
import jakarta.enterprise.context.ApplicationScoped;

/** E-mail over SMTP (Quarkus Mailer, {@code quarkus.mailer.*}), bounded by the relay's request timeout. */
@ApplicationScoped
public class EmailChannel implements DeliveryChannel {

    private final ReactiveMailer mailer;
    private final RelayConfig config;

    public EmailChannel(ReactiveMailer mailer, RelayConfig config) {
        this.mailer = mailer;
        this.config = config;
    }

    @Override
    public Channel channel() {
        return Channel.EMAIL;
    }

    @Override
    public void send(RouteTarget route, OtpMessage message) throws DeliveryException {
        Mail mail = Mail.withText(route.target(), "Your 3-D Secure code (card •••• "
                + (message.cardLastFour() == null ? "????" : message.cardLastFour()) + ")", message.text());
        try {
            mailer.send(mail).await().atMost(config.requestTimeout());
        } catch (TimeoutException e) {
            throw DeliveryException.retryable("timeout");
        } catch (RuntimeException e) {
            // SMTP errors quote the server's reply, not our message; the class is enough to classify.
            throw DeliveryException.retryable(e.getClass().getSimpleName());
        }
    }
}
