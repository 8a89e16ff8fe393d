package brocard.webhooks.relay.directory;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which addresses a delivery must never reach: everything that is not a plain public unicast address. IPv6 forms that
 * carry an IPv4 address (mapped, NAT64, 6to4) are judged by the IPv4 address they lead to, because that is where the
 * packets end up; forms whose destination cannot be judged (IPv4-compatible, Teredo, local-use NAT64) are refused.
 */
final class InternalAddresses {

    private InternalAddresses() {}

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isAnyLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] ip = address.getAddress();
        return ip.length == 4 ? isReservedV4(ip) : isInternalV6(ip);
    }

    /** Ranges Java's own predicates miss: "this network", CGNAT, IETF, documentation, benchmarking, class E. */
    private static boolean isReservedV4(byte[] ip) {
        int a = ip[0] & 0xff;
        int b = ip[1] & 0xff;
        int c = ip[2] & 0xff;
        return a == 0
                || a >= 240 // "this network"; reserved and broadcast
                || (a == 100 && (b & 0xc0) == 64) // carrier-grade NAT 100.64.0.0/10
                || (a == 192 && b == 0 && (c == 0 || c == 2)) // IETF assignments, TEST-NET-1
                || (a == 198 && (b & 0xfe) == 18) // benchmarking 198.18.0.0/15
                || (a == 198 && b == 51 && c == 100) // TEST-NET-2
                || (a == 203 && b == 0 && c == 113); // TEST-NET-3
    }

    private static boolean isInternalV6(byte[] ip) {
        int first = word(ip, 0);
        if ((first & 0xfe00) == 0xfc00) {
            return true; // unique-local fc00::/7
        }
        if (allZero(ip, 0, 10)) {
            if ((ip[10] & 0xff) == 0xff && (ip[11] & 0xff) == 0xff) {
                return isInternal(v4(ip, 12)); // IPv4-mapped ::ffff:a.b.c.d (Java usually unwraps these itself)
            }
            return allZero(ip, 10, 12); // IPv4-compatible ::a.b.c.d (deprecated) and ::/96 in general
        }
        if (first == 0x0064 && word(ip, 2) == 0xff9b) {
            // NAT64: the well-known prefix 64:ff9b::/96 leads to the embedded IPv4 address (DNS64 synthesizes these
            // for every public IPv4-only host); the local-use prefix 64:ff9b:1::/48 could lead anywhere.
            return !allZero(ip, 4, 12) || isInternal(v4(ip, 12));
        }
        if (first == 0x2002) {
            return isInternal(v4(ip, 2)); // 6to4 2002:a.b.c.d::/48 leads to the embedded IPv4 address
        }
        return (first == 0x2001 && word(ip, 2) == 0x0000) // Teredo 2001::/32: tunnels to an obfuscated IPv4
                || (first == 0x2001 && word(ip, 2) == 0x0db8) // documentation 2001:db8::/32
                || (first == 0x0100 && allZero(ip, 2, 8)); // discard-only 100::/64
    }

    private static int word(byte[] ip, int offset) {
        return ((ip[offset] & 0xff) << 8) | (ip[offset + 1] & 0xff);
    }

    private static boolean allZero(byte[] ip, int from, int to) {
        for (int i = from; i < to; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress v4(byte[] ip, int offset) {
        try {
            return InetAddress.getByAddress(new byte[] {ip[offset], ip[offset + 1], ip[offset + 2], ip[offset + 3]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
