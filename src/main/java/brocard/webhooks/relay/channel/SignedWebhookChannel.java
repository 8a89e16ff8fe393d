package brocard.webhooks.relay.channel;

import brocard.webhooks.json.Json;
import brocard.webhooks.relay.directory.Channel;
import brocard.webhooks.relay.directory.RouteTarget;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTPS POST of a JSON message to the recipient's own endpoint, signed per Standard Webhooks: {@code webhook-id}
 * (stable per code and route, so the receiver can dedup a retry), {@code webhook-timestamp} (Unix seconds) and
 * {@code webhook-signature: v1,base64(HMAC-SHA256(secret, id.timestamp.body))}.
 */
@ApplicationScoped
public class SignedWebhookChannel implements DeliveryChannel {

    private final HttpSender http;

    public SignedWebhookChannel(HttpSender http) {
        this.http = http;
    }

    @Override
    public Channel channel() {
        return Channel.WEBHOOK;
    }

    @Override
    public void send(RouteTarget route, OtpMessage message) throws DeliveryException {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "brocard.otp.code");
        payload.put("otp_id", message.otpId());
        payload.put("recipient_id", message.recipientId());
        payload.put("code", message.code());
        if (message.password() != null) {
            payload.put("password", message.password()); // optional in Brocard's webhook, so only when sent
        }
        payload.put("amount", message.amount().toPlainString());
        payload.put("currency", message.currency());
        payload.put("card_last_four", message.cardLastFour());
        payload.put("expires_at", message.expiresAt().toString());
        payload.put("text", message.text());
        String body = Json.write(payload);
        String id = "otp_" + message.otpId() + "_" + route.routeId();
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        http.postJson(
                URI.create(route.target()),
                body,
                Map.of(
                        "webhook-id", id,
                        "webhook-timestamp", timestamp,
                        "webhook-signature", "v1," + sign(route.secret(), id + "." + timestamp + "." + body)));
    }

    /** Standard Webhooks signature; the key is the base64 part of {@code whsec_…}. */
    static String sign(String secret, String content) throws DeliveryException {
        if (secret == null || !secret.startsWith("whsec_")) {
            throw DeliveryException.permanent("webhook route has no whsec_ secret");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw DeliveryException.permanent(
                    "webhook secret unusable: " + e.getClass().getSimpleName());
        }
    }
}
