package brocard.webhooks.relay;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Ties the relay consumer's ack timeout (the Kafka connector's {@code throttled.unprocessed-record-max-age.ms}) to the
 * code TTL: an event is legitimately unacknowledged until its code expires ({@code brocard.otp.secret-ttl} after
 * receipt) plus the time its final status may still be retried into the database ({@code brocard.relay.
 * ack-timeout-margin}). A fixed number would fire too early after a TTL increase (closing a healthy consumer) or too
 * late after a decrease. Config expressions cannot add two durations, hence a config source.
 *
 * <p>Below application.properties (ordinal 250): an explicit setting of the connector property still wins.
 */
public class AckTimeoutConfigSourceFactory implements ConfigSourceFactory {

    public static final String PROPERTY =
            "mp.messaging.incoming." + OtpRelay.CHANNEL + ".throttled.unprocessed-record-max-age.ms";
    private static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Duration ttl = duration(context.getValue("brocard.otp.secret-ttl"), "10m");
        Duration margin = duration(context.getValue("brocard.relay.ack-timeout-margin"), "2m");
        return List.of(new PropertiesConfigSource(
                Map.of(PROPERTY, Long.toString(ttl.plus(margin).toMillis())), "brocard-relay-ack-timeout", ORDINAL));
    }

    private static Duration duration(ConfigValue value, String defaultValue) {
        String text =
                value == null || value.getValue() == null || value.getValue().isBlank()
                        ? defaultValue
                        : value.getValue();
        return DurationConverter.parseDuration(text.trim());
    }
}
