package brocard.webhooks.relay;

import brocard.webhooks.otp.OtpSecrets;
import brocard.webhooks.support.ChannelServer;
import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Relay;
import brocard.webhooks.support.Samples;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A relay that stops finishing events shows in health and metrics, and so does the consumer the Kafka connector then
 * closes (it stays closed until a restart). A 3-second ack timeout and a channel that never answers in time make a
 * real stuck relay in seconds instead of the production 12 minutes.
 */
@QuarkusTest
@TestProfile(RelayLivenessTest.ShortAckTimeout.class)
class RelayLivenessTest {

    public static class ShortAckTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(AckTimeoutConfigSourceFactory.PROPERTY, "3000");
        }
    }

    @Inject
    OtpSecrets secrets;

    @Test
    void aStuckRelayTurnsLivenessDownAndTheClosedConsumerStaysDown() {
        assertEquals("UP", relayCheck().getString("status"));
        assertEquals(1.0, Metrics.value("brocard_relay_consumer_up"));
        assertEquals(3.0, Metrics.value("brocard_relay_ack_timeout_seconds"));
        // Readiness is not the relay's business: the webhook endpoints stay in the ingress.
        given().get("/q/health/ready").then().statusCode(200);

        long recipient = Samples.nextId();
        String path = "/never-in-time/" + recipient;
        ChannelServer.get().stall(path, 2_000); // every attempt times out; the code stays unfinished until expiry
        Relay.putRecipient(recipient, List.of(Relay.webhookRoute(path)));
        Relay.publishEvent(secrets, recipient, Relay.code(), Duration.ofMinutes(2));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> "DOWN".equals(relayCheck().getString("status")));
        given().get("/q/health/live").then().statusCode(503);
        given().get("/q/health/ready").then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> Metrics.value("brocard_relay_consumer_up") == 0.0);
        assertTrue(Metrics.value("brocard_relay_unacked_oldest_age_seconds") > 3.0);

        // The connector gives the consumer up for good: the probe of its polling thread now fails.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "closed or not answering".equals(relayCheck().getString("data.consumer")));
    }

    private static JsonPath relayCheck() {
        JsonPath health = given().get("/q/health/live").then().extract().jsonPath();
        return new JsonPath(health.prettify()).setRootPath("checks.find { it.name == 'otp-relay' }");
    }
}
