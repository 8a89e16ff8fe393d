package brocard.webhooks.relay;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The relay consumer's ack timeout follows the code TTL instead of a fixed 12 minutes. */
class AckTimeoutConfigTest {

    @Test
    void theDefaultIsTheDefaultTtlPlusTheMargin() {
        assertEquals(12 * 60_000L, ackTimeout(Map.of()));
    }

    @Test
    void aLongerTtlMovesTheTimeoutWithIt() {
        assertEquals(32 * 60_000L, ackTimeout(Map.of("brocard.otp.secret-ttl", "30m")));
        assertEquals(
                3 * 60_000L + 30_000L,
                ackTimeout(Map.of("brocard.otp.secret-ttl", "3m", "brocard.relay.ack-timeout-margin", "30s")));
    }

    @Test
    void anExplicitConnectorSettingStillWins() {
        assertEquals(
                5000L,
                ackTimeout(Map.of("brocard.otp.secret-ttl", "30m", AckTimeoutConfigSourceFactory.PROPERTY, "5000")));
    }

    private static long ackTimeout(Map<String, String> applicationProperties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(applicationProperties, "application.properties", 250))
                .withSources(new AckTimeoutConfigSourceFactory())
                .build();
        return config.getValue(AckTimeoutConfigSourceFactory.PROPERTY, Long.class);
    }
}
