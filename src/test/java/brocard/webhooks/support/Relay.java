package brocard.webhooks.support;

import brocard.webhooks.otp.OtpSecrets;
import brocard.webhooks.otp.OtpWebhook;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.restassured.RestAssured.given;

/** Sets up recipients through the admin API and feeds the relay, as an operator and Brocard would. */
public final class Relay {

    public static final String TELEGRAM_PATH = "/telegram/bottest-bot-token/sendMessage";
    public static final long FALLBACK_RECIPIENT = 990000001L;
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final String SECRET =
            "whsec_" + java.util.Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    private Relay() {}

    /** A fresh, unique six-digit-plus code, so a test finds its own messages among everyone's. */
    public static String code() {
        return String.format("%06d", RANDOM.nextInt(1_000_000)) + String.format("%04d", RANDOM.nextInt(10_000));
    }

    public static Map<String, Object> webhookRoute(String path) {
        return Map.of("channel", "webhook", "target", ChannelServer.get().url(path), "secret", SECRET);
    }

    public static Map<String, Object> route(String channel, String target, boolean enabled) {
        return Map.of("channel", channel, "target", target, "enabled", enabled);
    }

    /** Creates or replaces a recipient. */
    public static void putRecipient(long recipientId, List<Map<String, Object>> routes) {
        given().header("Authorization", "Bearer " + Webhooks.ADMIN_TOKEN)
                .contentType(ContentType.JSON)
                .body(Map.of("displayName", "Cardholder " + recipientId, "routes", routes))
                .put("/admin/recipients/" + recipientId)
                .then()
                .statusCode(200);
    }

    /** Posts a 3DS webhook with this code for this recipient; returns the otp id. */
    public static long sendCode(long recipientId, String code) {
        return sendCode(recipientId, code, Samples.nextId());
    }

    /** Posts a 3DS webhook with this code id (the same id again is Brocard replaying it). */
    public static long sendCode(long recipientId, String code, long otpId) {
        return sendCode(recipientId, code, null, otpId);
    }

    /** Posts a 3DS webhook with this code and 3DS password (null: none, as Brocard may send it). */
    public static long sendCode(long recipientId, String code, String password, long otpId) {
        ObjectNode body = Samples.load("otp-example");
        body.put("id", otpId);
        body.put("recipient_id", recipientId);
        body.put("code", code);
        if (password != null) {
            body.put("password", password);
        }
        Webhooks.post("/3ds", body).statusCode(200);
        return otpId;
    }

    /** A brocard.otp record as the outbox publishes it: keyed by recipient id. */
    public record Event(long otpId, String key, String value) {}

    /**
     * Publishes a brocard.otp event directly, as the outbox would, but with a chosen expiry: lets a test watch a code
     * expire in seconds instead of the production TTL.
     */
    public static long publishEvent(OtpSecrets secrets, long recipientId, String code, Duration expiresIn) {
        Event event = event(secrets, recipientId, code, expiresIn);
        publishRaw(event.key(), event.value());
        return event.otpId();
    }

    /** The record {@link #publishEvent} publishes, without publishing it. */
    public static Event event(OtpSecrets secrets, long recipientId, String code, Duration expiresIn) {
        return event(secrets, recipientId, Samples.nextId(), code, Instant.now(), expiresIn);
    }

    /** A record for this code id, received at {@code now} (two of them with other codes: a re-issue). */
    public static Event event(
            OtpSecrets secrets, long recipientId, long otpId, String code, Instant now, Duration expiresIn) {
        Instant expiresAt = now.plus(expiresIn);
        ObjectMapper json = new ObjectMapper();
        ObjectNode data = json.createObjectNode();
        data.put("id", otpId)
                .put("amount", "12.50")
                .put("currency", "EUR")
                .put("recipient_id", recipientId)
                .put("webhook_type", "otp_code")
                .put("card_last_four", "4242");
        secrets.addEncrypted(
                data,
                new OtpWebhook(otpId, recipientId, new BigDecimal("12.50"), "EUR", null, "4242", code, null),
                expiresAt);
        data.putObject("normalized")
                .put("otp_id", otpId)
                .put("recipient_id", recipientId)
                .put("amount", "12.50")
                .put("currency", "EUR")
                .put("card_last_four", "4242")
                .put("received_at", now.toString())
                .put("expires_at", expiresAt.toString());
        return new Event(otpId, Long.toString(recipientId), data.toString());
    }

    /** Publishes a record to brocard.otp as is (e.g. to replay what Kafka already delivered once). */
    public static void publishRaw(String key, String value) {
        Properties props = new Properties();
        props.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>("brocard.otp", key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("Could not publish to brocard.otp", e);
        }
    }

    /** Every HTTP request any channel received that carries this code. */
    public static List<ChannelServer.Received> requestsWith(String code) {
        return ChannelServer.get().all().stream()
                .filter(r -> r.body().contains(code))
                .toList();
    }
}
