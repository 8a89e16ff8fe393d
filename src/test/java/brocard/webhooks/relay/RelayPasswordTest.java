package brocard.webhooks.relay;

import brocard.webhooks.support.ChannelServer;
import brocard.webhooks.support.Mailbox;
import brocard.webhooks.support.Relay;
import brocard.webhooks.support.Samples;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The optional 3DS password travels with the code on every channel, and only when Brocard sent one. */
@QuarkusTest
class RelayPasswordTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void thePasswordReachesEveryChannelWithTheCode() throws Exception {
        Routes routes = Routes.create();
        String code = Relay.code();
        String password = "pw-" + Relay.code();

        Relay.sendCode(routes.recipient, code, password, Samples.nextId());

        routes.awaitAll(code);
        assertTrue(routes.telegram(code).contains("\\nPassword: " + password + "\\n"), "telegram text");
        assertTrue(routes.slack(code).contains("\\nPassword: " + password + "\\n"), "slack text");
        assertTrue(routes.email().contains("\nPassword: " + password + "\n"), "e-mail body");
        JsonNode hook = JSON.readTree(routes.webhook(code));
        assertEquals(password, hook.path("password").asText());
        assertTrue(hook.path("text").asText().contains("\nPassword: " + password + "\n"));
    }

    @Test
    void withoutAPasswordNoChannelMentionsOne() throws Exception {
        Routes routes = Routes.create();
        String code = Relay.code();

        Relay.sendCode(routes.recipient, code, null, Samples.nextId());

        routes.awaitAll(code);
        for (String body : List.of(routes.telegram(code), routes.slack(code), routes.email(), routes.webhook(code))) {
            assertTrue(body.contains(code), "the code itself arrived");
            assertFalse(body.contains("Password"), body.replace(code, "<CODE>"));
        }
        assertFalse(JSON.readTree(routes.webhook(code)).has("password"));
    }

    /** A recipient with one route per channel, all on local servers. */
    private record Routes(long recipient, String chatId, String hookPath, String slackPath, String address) {

        static Routes create() {
            long recipient = Samples.nextId();
            Routes routes = new Routes(
                    recipient,
                    Long.toString(Samples.nextId()),
                    "/pw-hook/" + recipient,
                    "/pw-slack/" + recipient,
                    "pw" + recipient + "@example.com");
            Relay.putRecipient(
                    recipient,
                    List.of(
                            Relay.route("telegram", routes.chatId, true),
                            Relay.webhookRoute(routes.hookPath),
                            Relay.route("slack", ChannelServer.get().url(routes.slackPath), true),
                            Relay.route("email", routes.address, true)));
            return routes;
        }

        void awaitAll(String code) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> Relay.requestsWith(code).size() == 3
                            && Mailbox.bodiesFor(address).size() == 1);
        }

        String telegram(String code) {
            return only(Relay.TELEGRAM_PATH, code);
        }

        String slack(String code) {
            return only(slackPath, code);
        }

        String webhook(String code) {
            return only(hookPath, code);
        }

        String email() {
            return Mailbox.bodiesFor(address).get(0).replace("\r\n", "\n"); // SMTP lines end in CRLF
        }

        private static String only(String path, String code) {
            List<ChannelServer.Received> matching = ChannelServer.get().received(path).stream()
                    .filter(r -> r.body().contains(code))
                    .toList();
            assertEquals(1, matching.size(), path);
            return matching.get(0).body();
        }
    }
}
