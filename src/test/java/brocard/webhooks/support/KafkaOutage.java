package brocard.webhooks.support;

import org.netcrusher.tcp.TcpCrusher;

/** Cuts and restores the application's connection to Kafka (closing the proxy drops every open connection). */
public final class KafkaOutage {

    static volatile TcpCrusher proxy;

    private KafkaOutage() {}

    public static void begin() {
        proxy().close();
    }

    public static void end() {
        if (!proxy().isOpen()) {
            proxy().open();
        }
    }

    private static TcpCrusher proxy() {
        if (proxy == null) {
            throw new IllegalStateException("The Kafka proxy is not running: is EmbeddedInfrastructure active?");
        }
        return proxy;
    }
}
