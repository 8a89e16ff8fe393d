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
            throw new ForbiddenTargetException("URL host does not resolve");
        }
    }

    static boolean isInternal(InetAddress address) {
        byte[] ip = address.getAddress();
        boolean carrierGradeNat = ip.length == 4 && (ip[0] & 0xff) == 100 && (ip[1] & 0xc0) == 64;
        boolean uniqueLocalV6 = ip.length == 16 && (ip[0] & 0xfe) == 0xfc;
        return address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress() || carrierGradeNat || uniqueLocalV6;
    }
}
