package brocard.webhooks.relay.channel;

import brocard.webhooks.config.RelayConfig;
import brocard.webhooks.json.Json;
import brocard.webhooks.relay.directory.Channel;
import brocard.webhooks.relay.directory.RouteTarget;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.Map;

/** Telegram Bot API {@code sendMessage} to the route's chat id. */
@ApplicationScoped
public class TelegramChannel implements DeliveryChannel {

    private final HttpSender http;
    private final RelayConfig.Telegram config;

    public TelegramChannel(HttpSender http, RelayConfig config) {
        this.http = http;
        this.config = config.telegram();
    }

    @Override
    public Channel channel() {
        return Channel.TELEGRAM;
    }

    @Override
    public void send(RouteTarget route, OtpMessage message) throws DeliveryException {
        String token = config.botToken()
                .orElseThrow(() -> DeliveryException.permanent("brocard.relay.telegram.bot-token is not configured"));
        String body = Json.write(Map.of("chat_id", route.target(), "text", message.text()));
        String answer = http.postJson(
                URI.create(stripSlash(config.baseUrl()) + "/bot" + token + "/sendMessage"), body, Map.of());
        if (!answer.contains("\"ok\":true") && !answer.contains("\"ok\": true")) {
            throw DeliveryException.permanent("Telegram answered ok=false");
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
