package brocard.webhooks.relay.directory;

import brocard.webhooks.config.RelayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Keeps deliveries from reaching into our own network: a route URL (set by whoever manages the directory) must not
 * point at loopback, link-local (cloud metadata), private or otherwise internal addresses, unless local use is
 * explicitly allowed. Checked when a route is saved (literal addresses) and again before every request (what the name
 * resolves to now).
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

    private final RelayConfig config;

    public TargetGuard(RelayConfig config) {
        this.config = config;
    }

    /** @throws ForbiddenTargetException if the URL's host resolves to an internal address or the scheme is wrong */
    public void check(URI url) {
        if (url.getHost() == null) {
            throw new ForbiddenTargetException("URL has no host");
        }
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        boolean http = "http".equalsIgnoreCase(url.getScheme());
        if (!https && !(http && config.allowInsecureUrls())) {
            throw new ForbiddenTargetException("URL must be https");
        }
        if (config.allowPrivateTargets()) {
            return;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(url.getHost())) {
                if (isInternal(address)) {
                    throw new ForbiddenTargetException("URL host resolves to an internal address");
                }
            }
        } catch (UnknownHostException e) {
            throw new UnresolvableTargetException();
        }
    }

    static boolean isInternal(InetAddress address) {
        byte[] ip = address.getAddress();
        int first = ip[0] & 0xff;
        boolean reservedV4 = ip.length == 4 && (first == 0 || first >= 240 // "this network", reserved
                || (first == 100 && (ip[1] & 0xc0) == 64) // carrier-grade NAT
                || (first == 198 && (ip[1] & 0xfe) == 18)); // benchmarking
        boolean uniqueLocalV6 = ip.length == 16 && (ip[0] & 0xfe) == 0xfc;
        boolean nat64 = ip.length == 16 && first == 0 && (ip[1] & 0xff) == 0x64 && (ip[2] & 0xff) == 0xff
                && (ip[3] & 0xff) == 0x9b;
        return address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress() || reservedV4 || uniqueLocalV6
                || nat64;
    }
}
