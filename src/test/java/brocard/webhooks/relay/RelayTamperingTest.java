package brocard.webhooks.relay;

import brocard.webhooks.support.CapturedLogs;
import brocard.webhooks.support.ChannelServer;
import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Relay;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Someone who can write to {@code brocard.otp} replays a real event: towards another recipient, with a later expiry,
 * or under another recipient's key. The relay refuses each copy (no delivery, a metric, a log line without the code),
 * while a faithful replay is still delivered.
 */
@QuarkusTest
class RelayTamperingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void alteredCopiesOfARealEventAreRefusedAndCounted() throws Exception {
        long holder = Samples.nextId();
        long attacker = Samples.nextId();
        String holderPath = "/holder/" + holder;
        String attackerPath = "/attacker/" + attacker;
        Relay.putRecipient(holder, List.of(Relay.webhookRoute(holderPath)));
        Relay.putRecipient(attacker, List.of(Relay.webhookRoute(attackerPath)));
        String code = Relay.code();
        long otpId = Relay.sendCode(holder, code);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> ChannelServer.get().received(holderPath).size() == 1);
        ConsumerRecord<String, String> real;
        try (TopicReader topic = new TopicReader("brocard.otp")) {
            real = topic.exactly(1, Long.toString(holder)).get(0);
        }
        // A new route (a route keeps its id only while its target stays): a replay of this event is sent to it, so
        // a tampered copy that got through would show up there too.
        String holderNewPath = "/holder-new/" + holder;
        Relay.putRecipient(holder, List.of(Relay.webhookRoute(holderNewPath)));
        double tampered = tamperedCount();

        try (CapturedLogs logs = new CapturedLogs()) {
            Relay.publishRaw(Long.toString(attacker), altered(real.value(), n -> n.put("recipient_id", attacker)));
            Relay.publishRaw(
                    Long.toString(holder),
                    altered(
                            real.value(),
                            n -> n.put(
                                    "expires_at",
                                    Instant.parse(n.get("expires_at").asText())
                                            .plus(Duration.ofHours(1))
                                            .toString())));
            Relay.publishRaw(Long.toString(attacker), real.value()); // key names another recipient than the value

            await().atMost(Duration.ofSeconds(20)).until(() -> tamperedCount() == tampered + 3);
            assertEquals(List.of(), ChannelServer.get().received(attackerPath), "nothing reached the other recipient");
            assertEquals(List.of(), ChannelServer.get().received(holderNewPath), "nor the holder again");
            assertTrue(logs.lines().stream().anyMatch(l -> l.contains("Refusing otp " + otpId)), "logged, by id");
            logs.lines().forEach(line -> assertFalse(line.contains(code), "a log line holds the code"));
        }

        // Control: the untouched record, replayed, does go through (the refusals were about the changes).
        Relay.publishRaw(real.key(), real.value());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> ChannelServer.get().received(holderNewPath).size() == 1);
        assertEquals(tampered + 3, tamperedCount());
        assertEquals(List.of(), ChannelServer.get().received(attackerPath));
    }

    private static String altered(String value, Consumer<ObjectNode> change) throws Exception {
        ObjectNode data = (ObjectNode) JSON.readTree(value);
        change.accept((ObjectNode) data.get("normalized"));
        return data.toString();
    }

    private static double tamperedCount() {
        return Metrics.value("brocard_relay_deliveries_total", "channel=\"none\"", "outcome=\"tampered\"");
    }
}
