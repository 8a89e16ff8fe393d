package brocard.webhooks.relay;

import brocard.webhooks.otp.OtpSecrets;
import brocard.webhooks.support.ChannelServer;
import brocard.webhooks.support.FakeBrocardApi;
import brocard.webhooks.support.Mailbox;
import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Relay;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each code reaches its recipient's routes, once each, through real local channel servers. */
@QuarkusTest
class RelayDeliveryTest {

    @Inject
    Rows rows;

    @Inject
    OtpSecrets secrets;

    @Test
    void aCodeReachesBothRoutesOnceWithTheRightTextEvenWhenReplayed() throws Exception {
        long recipient = Samples.nextId();
        String chatId = Long.toString(Samples.nextId());
        String hookPath = "/hooks/" + recipient;
        Relay.putRecipient(recipient, List.of(Relay.route("telegram", chatId, true), Relay.webhookRoute(hookPath)));
        String code = Relay.code();

        long otpId = Relay.sendCode(recipient, code);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Relay.requestsWith(code).size() == 2);

        ChannelServer.Received telegram = only(Relay.TELEGRAM_PATH, code);
        assertTrue(telegram.body().contains("\"chat_id\":\"" + chatId + "\""), telegram.body());
        for (String expected : List.of(code, "1 USD", "0000", "Expires at")) {
            assertTrue(telegram.body().contains(expected), "telegram text has " + expected);
        }
        ChannelServer.Received hook = only(hookPath, code);
        String id = hook.headers().get("webhook-id");
        String timestamp = hook.headers().get("webhook-timestamp");
        assertEquals("otp_" + otpId + "_", id.substring(0, id.lastIndexOf('_') + 1));
        assertEquals(
                "v1," + sign(id + "." + timestamp + "." + hook.body()),
                hook.headers().get("webhook-signature"));

        // Brocard replays the webhook, and Kafka delivers the same event a second time: no second send.
        Relay.sendCode(recipient, code, otpId);
        try (TopicReader topic = new TopicReader("brocard.otp")) {
            var record = topic.exactly(1, Long.toString(recipient)).get(0);
            Relay.publishRaw(record.key(), record.value());
        }
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(6))
                .until(() -> Relay.requestsWith(code).size() == 2);
        assertEquals(
                2,
                rows.count(
                        "select count(*) from otp_delivery where otp_id = ? and status = 'delivered' "
                                + "and attempts = 1 and latency_ms is not null",
                        otpId));
    }

    @Test
    void aChannelThatFailsTwiceIsDeliveredOnTheThirdTry() {
        long recipient = Samples.nextId();
        String path = "/flaky/" + recipient;
        ChannelServer.get().script(path, 500, 503);
        Relay.putRecipient(recipient, List.of(Relay.webhookRoute(path)));
        double retried = Metrics.value("brocard_relay_deliveries_total", "channel=\"webhook\"", "outcome=\"retried\"");
        String code = Relay.code();

        long otpId = Relay.sendCode(recipient, code);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> rows.count(
                                "select count(*) from otp_delivery "
                                        + "where otp_id = ? and status = 'delivered' and attempts = 3",
                                otpId)
                        == 1);
        assertEquals(3, ChannelServer.get().received(path).size());
        assertEquals(
                retried + 2,
                Metrics.value("brocard_relay_deliveries_total", "channel=\"webhook\"", "outcome=\"retried\""));
    }

    @Test
    void aChannelThatNeverAnswersExpiresWhileOtherCodesKeepFlowing() {
        long slowRecipient = Samples.nextId();
        String slowPath = "/stalled/" + slowRecipient;
        ChannelServer.get().stall(slowPath, 5_000);
        Relay.putRecipient(slowRecipient, List.of(Relay.webhookRoute(slowPath)));
        long otherRecipient = Samples.nextId();
        Relay.putRecipient(otherRecipient, List.of(Relay.webhookRoute("/prompt/" + otherRecipient)));

        long slowOtp = Relay.publishEvent(secrets, slowRecipient, Relay.code(), Duration.ofSeconds(4));
        // In retry: its first attempt timed out (a pending row is written only then).
        await().atMost(Duration.ofSeconds(10)).until(() -> status(slowOtp).equals("pending"));
        String otherCode = Relay.code();
        long otherOtp = Relay.sendCode(otherRecipient, otherCode);

        await().atMost(Duration.ofSeconds(10)).until(() -> status(otherOtp).equals("delivered"));
        // Still being retried meanwhile: between two attempts (pending) or in one (claimed).
        assertTrue(List.of("pending", "claimed").contains(status(slowOtp)), status(slowOtp));
        await().atMost(Duration.ofSeconds(15)).until(() -> status(slowOtp).equals("expired"));
        assertTrue(ChannelServer.get().received(slowPath).size() >= 2, "it was retried before expiring");
    }

    @Test
    void anUnknownRecipientsCodeGoesToTheFallbackRoute() {
        Relay.putRecipient(Relay.FALLBACK_RECIPIENT, List.of(Relay.webhookRoute("/fallback")));
        long unknown = Samples.nextId();
        // Brocard knows the user, but resolve-unknown-recipients is off (the default): not asked, fallback only.
        FakeBrocardApi.user(unknown, "cardholder-" + unknown + "@example.com");
        String code = Relay.code();
        long otpId = Relay.sendCode(unknown, code);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Relay.requestsWith(code).size() == 1);
        assertEquals("/fallback", Relay.requestsWith(code).get(0).path());
        assertEquals(1, rows.count("select count(*) from otp_delivery where otp_id = ? and fallback", otpId));
        assertEquals(0, FakeBrocardApi.requests("/users/" + unknown).size());
        assertEquals(
                0, Mailbox.bodiesFor("cardholder-" + unknown + "@example.com").size());
    }

    @Test
    void disabledRoutesAreNotUsedAndNoEnabledRouteIsUnroutable() {
        long recipient = Samples.nextId();
        Relay.putRecipient(
                recipient,
                List.of(
                        Relay.webhookRoute("/on/" + recipient),
                        Map.of(
                                "channel",
                                "webhook",
                                "target",
                                ChannelServer.get().url("/off/" + recipient),
                                "secret",
                                Relay.SECRET,
                                "enabled",
                                false)));
        String code = Relay.code();
        Relay.sendCode(recipient, code);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Relay.requestsWith(code).size() == 1);
        assertEquals("/on/" + recipient, Relay.requestsWith(code).get(0).path());

        long silent = Samples.nextId();
        Relay.putRecipient(silent, List.of(Relay.route("telegram", "77", false)));
        double unroutable = Metrics.value("brocard_relay_deliveries_total", "outcome=\"unroutable\"");
        long otpId = Relay.sendCode(silent, Relay.code());
        await().atMost(Duration.ofSeconds(20)).until(() -> status(otpId).equals("unroutable"));
        assertEquals(unroutable + 1, Metrics.value("brocard_relay_deliveries_total", "outcome=\"unroutable\""));
    }

    @Test
    void slackAndEmailRoutesReceiveTheMessage() {
        long recipient = Samples.nextId();
        String address = "holder" + recipient + "@example.com";
        Relay.putRecipient(
                recipient,
                List.of(
                        Relay.route("slack", ChannelServer.get().url("/slack/" + recipient), true),
                        Relay.route("email", address, true)));
        String code = Relay.code();
        long otpId = Relay.sendCode(recipient, code);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> Mailbox.bodiesFor(address).size() == 1
                        && Relay.requestsWith(code).size() == 1);
        assertTrue(Relay.requestsWith(code).get(0).body().startsWith("{\"text\":"), "slack message format");
        assertTrue(Mailbox.bodiesFor(address).get(0).contains(code));
        assertTrue(Mailbox.bodiesFor(address).get(0).contains("1 USD"));
        assertEquals(
                2, rows.count("select count(*) from otp_delivery where otp_id = ? and status = 'delivered'", otpId));
        assertTrue(Metrics.value("brocard_relay_latency_seconds_count", "channel=\"email\"") >= 1);
    }

    private String status(long otpId) {
        var found = rows.query("select status from otp_delivery where otp_id = ?", otpId);
        return found.isEmpty() ? "none" : found.get(0).get("status").toString();
    }

    private static ChannelServer.Received only(String path, String code) {
        List<ChannelServer.Received> matching = ChannelServer.get().received(path).stream()
                .filter(r -> r.body().contains(code))
                .toList();
        assertEquals(1, matching.size(), path);
        return matching.get(0);
    }

    private static String sign(String content) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(Relay.SECRET.substring(6)), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes()));
    }
}
