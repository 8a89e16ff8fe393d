package brocard.webhooks.relay;

import brocard.webhooks.support.CapturedLogs;
import brocard.webhooks.support.ChannelServer;
import brocard.webhooks.support.Relay;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A canary code and password relayed through every channel, failures included, never show up in a log line or the
 * log table.
 */
@QuarkusTest
class RelaySecrecyTest {

    @Inject
    Rows rows;

    @Test
    void theCanaryCodeIsNeverLogged() {
        long recipient = Samples.nextId();
        String failing = "/refusing/" + recipient;
        ChannelServer.get().script(failing, 500, 400);
        Relay.putRecipient(
                recipient,
                List.of(
                        Relay.route("telegram", "123", true),
                        Relay.webhookRoute(failing),
                        Relay.route("email", "canary" + recipient + "@example.com", true)));
        String code = Relay.code();
        String password = "pw-" + Relay.code();

        try (CapturedLogs logs = new CapturedLogs()) {
            long otpId = Relay.sendCode(recipient, code, password, Samples.nextId());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> rows.count(
                                    "select count(*) from otp_delivery "
                                            + "where otp_id = ? and status not in ('pending', 'claimed')",
                                    otpId)
                            == 3);

            assertTrue(
                    logs.lines().stream().anyMatch(l -> l.contains("otp " + otpId)),
                    "the capture sees the relay's own lines (the refused webhook route is logged)");
            logs.lines().forEach(line -> {
                assertFalse(line.contains(code), "log line with the code: " + line.replace(code, "<CODE>"));
                assertFalse(
                        line.contains(password), "log line with the password: " + line.replace(password, "<PASSWORD>"));
            });
            String table = rows.query("select coalesce(string_agg(d::text, ' '), '') as t from otp_delivery d")
                    .get(0)
                    .get("t")
                    .toString();
            assertFalse(table.contains(code));
            assertFalse(table.contains(password));
        }
    }
}
