package brocard.webhooks.relay;

import brocard.webhooks.support.ChannelServer;
import brocard.webhooks.support.Relay;
import brocard.webhooks.support.Samples;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random recipients with random routes and a random stream of codes: every code arrives at exactly its own
 * recipient's enabled routes, once each, and nowhere else. The seed is printed so a failure can be replayed.
 */
@QuarkusTest
class RelayRoutingPropertyTest {

    private static final int RECIPIENTS = 15;
    private static final int CODES = 60;

    @Test
    void everyCodeReachesExactlyItsOwnRecipientsRoutes() {
        long seed = System.nanoTime();
        System.out.println("RelayRoutingPropertyTest seed " + seed);
        Random random = new Random(seed);

        Map<Long, Set<String>> expectedDestinations = new HashMap<>();
        List<Long> recipients = new ArrayList<>();
        for (int r = 0; r < RECIPIENTS; r++) {
            long recipient = Samples.nextId();
            recipients.add(recipient);
            List<Map<String, Object>> routes = new ArrayList<>();
            Set<String> destinations = new HashSet<>();
            int count = 1 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                boolean enabled = i == 0 || random.nextInt(4) > 0;
                String destination;
                switch (random.nextInt(3)) {
                    case 0 -> {
                        String chat = Long.toString(Samples.nextId());
                        routes.add(Relay.route("telegram", chat, enabled));
                        destination = "telegram:" + chat;
                    }
                    case 1 -> {
                        String path = "/prop/slack/" + recipient + "/" + i;
                        routes.add(Relay.route("slack", ChannelServer.get().url(path), enabled));
                        destination = path;
                    }
                    default -> {
                        String path = "/prop/hook/" + recipient + "/" + i;
                        routes.add(new HashMap<>(Map.of(
                                "channel",
                                "webhook",
                                "target",
                                ChannelServer.get().url(path),
                                "secret",
                                Relay.SECRET,
                                "enabled",
                                enabled)));
                        destination = path;
                    }
                }
                if (enabled) {
                    destinations.add(destination);
                }
            }
            Relay.putRecipient(recipient, routes);
            expectedDestinations.put(recipient, destinations);
        }

        Map<String, Long> codeToRecipient = new HashMap<>();
        for (int c = 0; c < CODES; c++) {
            long recipient = recipients.get(random.nextInt(RECIPIENTS));
            String code = Relay.code();
            codeToRecipient.put(code, recipient);
            Relay.sendCode(recipient, code);
        }

        int expectedTotal = codeToRecipient.values().stream()
                .mapToInt(r -> expectedDestinations.get(r).size())
                .sum();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> codeToRecipient.keySet().stream()
                                .mapToInt(code -> Relay.requestsWith(code).size())
                                .sum()
                        >= expectedTotal);
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .until(() -> codeToRecipient.keySet().stream()
                                .mapToInt(code -> Relay.requestsWith(code).size())
                                .sum()
                        == expectedTotal);

        codeToRecipient.forEach((code, recipient) -> {
            List<String> arrivedAt = Relay.requestsWith(code).stream()
                    .map(RelayRoutingPropertyTest::destination)
                    .sorted()
                    .toList();
            assertEquals(
                    expectedDestinations.get(recipient).stream().sorted().toList(),
                    arrivedAt,
                    "code for recipient " + recipient + " (seed " + seed + ")");
        });
    }

    private static String destination(ChannelServer.Received request) {
        if (request.path().equals(Relay.TELEGRAM_PATH)) {
            String body = request.body();
            int start = body.indexOf("\"chat_id\":\"") + 11;
            return "telegram:" + body.substring(start, body.indexOf('"', start));
        }
        return request.path();
    }
}
