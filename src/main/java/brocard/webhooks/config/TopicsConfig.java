package brocard.webhooks.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Kafka topics the events are published to. */
@ConfigMapping(prefix = "brocard.topics")
public interface TopicsConfig {

    /** Payment state changes, keyed by payment id. */
    @WithDefault("brocard.payments")
    String payments();

    /** Refunds, keyed by refund id. */
    @WithDefault("brocard.refunds")
    String refunds();

    /** 3-D Secure codes (encrypted), keyed by recipient id. */
    @WithDefault("brocard.otp")
    String otp();
}
