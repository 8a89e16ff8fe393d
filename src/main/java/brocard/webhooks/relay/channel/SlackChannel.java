package brocard.webhooks.relay.channel;

import brocard.webhooks.json.Json;
import brocard.webhooks.relay.directory.Channel;
import brocard.webhooks.relay.directory.RouteTarget;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.Map;

/** Slack incoming webhook: the route's URL, a {@code text} message. */
@ApplicationScoped
public class SlackChannel implements DeliveryChannel {

    private final HttpSender http;

    public SlackChannel(HttpSender http) {
        this.http = http;
    }

    @Override
    public Channel channel() {
        return Channel.SLACK;
    }

    @Override
    public void send(RouteTarget route, OtpMessage message) throws DeliveryException {
        http.postJson(URI.create(route.target()), Json.write(Map.of("text", message.text())), Map.of());
    }
}
