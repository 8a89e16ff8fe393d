package brocard.webhooks.relay.channel;

import brocard.webhooks.relay.directory.Channel;
import brocard.webhooks.relay.directory.RouteTarget;

/** One way of handing a code to a person. Implementations return or fail within the configured timeouts. */
public interface DeliveryChannel {

    Channel channel();

    /**
     * Returns once the channel accepted the message.
     *
     * @throws DeliveryException retryable or not; its message never contains the code
     */
    void send(RouteTarget route, OtpMessage message) throws DeliveryException;
}
