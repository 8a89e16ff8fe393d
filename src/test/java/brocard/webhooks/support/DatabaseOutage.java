package brocard.webhooks.support;

import org.netcrusher.tcp.TcpCrusher;

/**
 * Cuts, hangs and restores the application's connections to PostgreSQL, through the proxy in front of it.
 * {@link #stop()} is a stopped server (open connections drop, new ones are refused); {@link #hang()} is a server or
 * network that no longer answers (connections stay open, nothing comes back, new ones are not served).
 */
public final class DatabaseOutage {

    static volatile TcpCrusher proxy;

    private DatabaseOutage() {}

    public static void stop() {
        proxy().close();
    }

    public static void hang() {
        proxy().freeze();
    }

    public static boolean isHanging() {
        return proxy().isOpen() && proxy().isFrozen();
    }

    /** Back to normal, whatever was done. */
    public static void end() {
        if (!proxy().isOpen()) {
            proxy().open();
        } else if (proxy().isFrozen()) {
            proxy().unfreeze();
        }
    }

    private static TcpCrusher proxy() {
        if (proxy == null) {
            throw new IllegalStateException("The PostgreSQL proxy is not running: is EmbeddedInfrastructure active?");
        }
        return proxy;
    }
}
