package brocard.webhooks.relay.directory;

import brocard.webhooks.config.RelayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Keeps deliveries from reaching into our own network: a route URL (set by whoever manages the directory) must not
 * point at loopback, link-local (cloud metadata), private or otherwise internal addresses, unless local use is
 * explicitly allowed. Checked when a route is saved (literal addresses) and again before every request (what the name
 * resolves to now).
 *
 * <p>The host name is resolved here, once per request, and the caller connects to the address returned: a second
 * lookup by the HTTP client could get another answer (DNS rebinding) and reach an address nobody checked.
 */
@ApplicationScoped
public class TargetGuard {

    /** A delivery target that is not allowed. */
    public static class ForbiddenTargetException extends RuntimeException {
        ForbiddenTargetException(String message) {
            super(message, null, false, false);
        }
    }

    /** The target's name does not resolve right now: worth retrying, a DNS blip is not a refusal. */
    public static class UnresolvableTargetException extends RuntimeException {
        UnresolvableTargetException() {
            super("URL host does not resolve", null, false, false);
        }
    }

    /** Name resolution; the system resolver in production, a fixed answer in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final RelayConfig config;
    private final Resolver resolver;

    @Inject
    public TargetGuard(RelayConfig config) {
        this(config, InetAddress::getAllByName);
    }

    public TargetGuard(RelayConfig config, Resolver resolver) {
        this.config = config;
        this.resolver = resolver;
    }

    /**
     * Resolves the URL's host and checks every address it resolves to (one bad address is enough to refuse: the
     * client could pick any of them).
     *
     * @return the address to connect to: the first one, as Java's own clients would pick
     * @throws ForbiddenTargetException     if the scheme is wrong or an address is internal
     * @throws UnresolvableTargetException if the host does not resolve
     */
    public InetAddress check(URI url) {
        checkScheme(url);
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(url.getHost());
        } catch (UnknownHostException e) {
            throw new UnresolvableTargetException();
        }
        if (addresses == null || addresses.length == 0) {
            throw new UnresolvableTargetException();
        }
        if (!config.allowPrivateTargets()) {
            for (InetAddress address : addresses) {
                if (InternalAddresses.isInternal(address)) {
                    throw new ForbiddenTargetException("URL host resolves to an internal address");
                }
            }
        }
        return addresses[0];
    }

    /** The checks that need no name resolution: a host, and https (or http where allowed). */
    public void checkScheme(URI url) {
        if (url.getHost() == null) {
            throw new ForbiddenTargetException("URL has no host");
        }
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        boolean http = "http".equalsIgnoreCase(url.getScheme());
        if (!https && !(http && config.allowInsecureUrls())) {
            throw new ForbiddenTargetException("URL must be https");
        }
    }
}
