package brocard.webhooks.relay;

import brocard.webhooks.brocardapi.BrocardApiClient;
import brocard.webhooks.config.RelayConfig;
import brocard.webhooks.relay.directory.BrocardUserRoutes;
import brocard.webhooks.support.CapturedLogs;
import brocard.webhooks.support.FakeBrocardApi;
import brocard.webhooks.support.Mailbox;
import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Relay;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code brocard.relay.resolve-unknown-recipients} on, a recipient missing from the directory gets the code by
 * e-mail at the address Brocard's {@code GET users/{id}} holds (the fake API on WireMock, the mail on GreenMail);
 * when Brocard does not know the user, fails or is too slow, the fallback recipient gets it as before.
 */
@QuarkusTest
@TestProfile(UnknownRecipientLookupTest.ResolveOn.class)
class UnknownRecipientLookupTest {

    public static class ResolveOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("brocard.relay.resolve-unknown-recipients", "true", "brocard.relay.resolve-timeout", "1s");
        }
    }

    @Inject
    Rows rows;

    @Inject
    RelayConfig config;

    @Inject
    BrocardApiClient api;

    @Inject
    BrocardUserRoutes lookups;

    @BeforeEach
    void fallbackRoute() {
        assertTrue(config.resolveUnknownRecipients(), "the profile turns the look-up on");
        assertTrue(api.isConfigured(), "the fake API's key is configured");
        FakeBrocardApi.reset();
        lookups.resumeLookups(); // a failure in an earlier test pauses look-ups
        Relay.putRecipient(Relay.FALLBACK_RECIPIENT, List.of(Relay.webhookRoute("/lookup-fallback")));
    }

    @Test
    void anUnknownRecipientKnownToBrocardIsEmailedTheCodeOnceAndLookedUpOnce() {
        long unknown = Samples.nextId();
        String address = "cardholder-" + unknown + "@example.com";
        FakeBrocardApi.user(unknown, address);
        String first = Relay.code();
        String second = Relay.code();
        double resolved = Metrics.value("brocard_relay_deliveries_total", "channel=\"email\"", "outcome=\"resolved\"");

        long otpId;
        try (CapturedLogs logs = new CapturedLogs()) {
            otpId = Relay.sendCode(unknown, first);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Mailbox.bodiesFor(address).size() == 1);
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("c***@e***.com")), "masked address");
            // The test SMTP server (GreenMail) logs the mailboxes it creates; the application must not.
            assertTrue(
                    logs.lines().stream()
                            .filter(line -> !line.startsWith("Created user login"))
                            .noneMatch(line -> line.contains(address)),
                    "never the address");
            assertTrue(logs.lines().stream().noneMatch(line -> line.contains(first)), "never the code");
        }
        assertTrue(Mailbox.bodiesFor(address).get(0).contains(first));
        assertEquals(0, Relay.requestsWith(first).size(), "not sent to the fallback");
        assertEquals(
                1,
                rows.count(
                        "select count(*) from otp_delivery where otp_id = ? and status = 'delivered' "
                                + "and channel = 'email' and not fallback and route_id = ?",
                        otpId,
                        -unknown));
        assertEquals(
                resolved + 1,
                Metrics.value("brocard_relay_deliveries_total", "channel=\"email\"", "outcome=\"resolved\""));

        // The next code of the same user: the cached answer, no second call to Brocard.
        Relay.sendCode(unknown, second);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Mailbox.bodiesFor(address).size() == 2);
        assertTrue(Mailbox.bodiesFor(address).get(1).contains(second));
        assertEquals(1, FakeBrocardApi.requests("/users/" + unknown).size());
    }

    @Test
    void aUserBrocardDoesNotKnowGoesToTheFallback() {
        long unknown = Samples.nextId();
        FakeBrocardApi.userAnswers(unknown, FakeBrocardApi.error(404, "Not found"));
        assertFallback(unknown);
    }

    @Test
    void anApiErrorGoesToTheFallback() {
        long unknown = Samples.nextId();
        FakeBrocardApi.userAnswers(unknown, FakeBrocardApi.error(500, "Server Error"));
        assertFallback(unknown);
    }

    @Test
    void anApiSlowerThanTheLookupBoundGoesToTheFallback() {
        long unknown = Samples.nextId();
        String address = "slow-" + unknown + "@example.com";
        FakeBrocardApi.userAnswers(
                unknown,
                aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(FakeBrocardApi.userBody(unknown, address).toString())
                        .withFixedDelay(5000));
        double timedOut = Metrics.value("brocard_relay_recipient_lookups_total", "outcome=\"timed_out\"");
        assertFallback(unknown);
        assertTrue(Metrics.value("brocard_relay_recipient_lookups_total", "outcome=\"timed_out\"") > timedOut);
        assertEquals(0, Mailbox.bodiesFor(address).size());

        // Brocard is slow: the next unknown recipient is not looked up at all (no code waits the timeout again).
        long next = Samples.nextId();
        FakeBrocardApi.user(next, "next-" + next + "@example.com");
        double paused = Metrics.value("brocard_relay_recipient_lookups_total", "outcome=\"paused\"");
        String code = Relay.code();
        Relay.sendCode(next, code);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Relay.requestsWith(code).size() == 1);
        assertEquals("/lookup-fallback", Relay.requestsWith(code).get(0).path());
        assertEquals(0, FakeBrocardApi.requests("/users/" + next).size());
        assertEquals(paused + 1, Metrics.value("brocard_relay_recipient_lookups_total", "outcome=\"paused\""));
    }

    @Test
    void aUserWithoutAUsableAddressGoesToTheFallback() {
        long unknown = Samples.nextId();
        FakeBrocardApi.user(unknown, "not-an-address\r\nBcc: someone@example.com");
        assertFallback(unknown);
    }

    private void assertFallback(long unknown) {
        String code = Relay.code();
        long otpId = Relay.sendCode(unknown, code);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Relay.requestsWith(code).size() == 1);
        assertEquals("/lookup-fallback", Relay.requestsWith(code).get(0).path());
        assertEquals(1, rows.count("select count(*) from otp_delivery where otp_id = ? and fallback", otpId));
        assertTrue(FakeBrocardApi.requests("/users/" + unknown).size() >= 1, "Brocard was asked");
    }
}
