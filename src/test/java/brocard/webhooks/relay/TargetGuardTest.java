package brocard.webhooks.relay;

import brocard.webhooks.relay.directory.Channel;
import brocard.webhooks.relay.directory.RecipientRequest.RouteRequest;
import brocard.webhooks.relay.directory.RouteValidator;
import brocard.webhooks.relay.directory.TargetGuard;
import brocard.webhooks.support.TestRelayConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With production settings, routes cannot point into our own network, in any notation, or use plain http. */
class TargetGuardTest {

    private final TestRelayConfig production = TestRelayConfig.production();
    private final TargetGuard guard = new TargetGuard(production);

    @ParameterizedTest
    @ValueSource(
            strings = {
                // IPv4: loopback, private, link-local (cloud metadata), CGNAT, "this network", multicast, reserved,
                // broadcast, benchmarking, IETF assignments, documentation
                "127.0.0.1",
                "127.1.2.3",
                "10.1.2.3",
                "172.16.5.4",
                "172.31.255.255",
                "192.168.0.10",
                "169.254.169.254",
                "100.64.0.1",
                "0.0.0.0",
                "224.0.0.1",
                "240.0.0.1",
                "255.255.255.255",
                "198.18.0.1",
                "192.0.0.170",
                "192.0.2.1",
                "198.51.100.7",
                "203.0.113.9",
                // IPv6: loopback, unspecified, link-local, site-local, unique-local, multicast
                "[::1]",
                "[::]",
                "[fe80::1]",
                "[febf::1]",
                "[fec0::1]",
                "[fc00::1]",
                "[fd12:3456::1]",
                "[ff02::1]",
                "[ff0e::1]",
                // IPv4-mapped and IPv4-compatible (the latter whatever it embeds: a deprecated form, never legitimate)
                "[::ffff:10.0.0.1]",
                "[::ffff:127.0.0.1]",
                "[::ffff:169.254.169.254]",
                "[::10.0.0.1]",
                "[::8.8.8.8]",
                // NAT64 well-known prefix embedding an internal IPv4; the local-use prefix whatever it embeds
                "[64:ff9b::10.0.0.1]",
                "[64:ff9b::127.0.0.1]",
                "[64:ff9b::a9fe:a9fe]",
                "[64:ff9b:1::5db8:d822]",
                // 6to4 embedding an internal IPv4 (10.0.0.1, 192.168.0.1, 127.0.0.1, 169.254.169.254)
                "[2002:a00:1::1]",
                "[2002:c0a8:1::]",
                "[2002:7f00:1::1]",
                "[2002:a9fe:a9fe::1]",
                // Teredo (tunnels to an obfuscated IPv4), documentation, discard-only
                "[2001:0:4136:e378:8000:63bf:3fff:fdd2]",
                "[2001::1]",
                "[2001:db8::1]",
                "[100::1]"
            })
    void internalAddressesAreRefusedInEveryNotation(String host) {
        assertThrows(
                TargetGuard.ForbiddenTargetException.class,
                () -> guard.check(URI.create("https://" + host + "/hook")),
                host);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "93.184.216.34",
                "8.8.8.8",
                "[2606:4700:4700::1111]",
                "[::ffff:93.184.216.34]",
                "[64:ff9b::93.184.216.34]",
                "[2002:5db8:d822::1]"
            })
    void publicAddressesAreAllowedIncludingThroughNat64And6to4(String host) {
        InetAddress approved = guard.check(URI.create("https://" + host + "/hook"));
        assertEquals(InetAddressLiteral.of(host), approved);
    }

    @Test
    void anIpv4MappedAddressInItsSixteenByteFormIsJudgedByTheIpv4AddressItCarries() throws Exception {
        // Java usually turns ::ffff:a.b.c.d into an IPv4 address; a resolver may still hand over the IPv6 form.
        byte[] mapped = HexFormat.of().parseHex("00000000000000000000ffff0a000001");
        TargetGuard resolving =
                new TargetGuard(production, host -> new InetAddress[] {Inet6Address.getByAddress(host, mapped, -1)});
        assertThrows(
                TargetGuard.ForbiddenTargetException.class,
                () -> resolving.check(URI.create("https://mapped.example/hook")));
    }

    @Test
    void aNameIsRefusedIfAnyOfItsAddressesIsInternal() {
        TargetGuard resolving = new TargetGuard(production, host ->
                new InetAddress[] {InetAddressLiteral.of("93.184.216.34"), InetAddressLiteral.of("10.0.0.7")});
        assertThrows(
                TargetGuard.ForbiddenTargetException.class,
                () -> resolving.check(URI.create("https://rebinding.example/hook")));
    }

    @Test
    void aNameIsResolvedOnceAndItsFirstAddressIsTheOneToConnectTo() {
        AtomicInteger lookups = new AtomicInteger();
        TargetGuard resolving = new TargetGuard(production, host -> {
            lookups.incrementAndGet();
            return new InetAddress[] {InetAddressLiteral.of("93.184.216.34"), InetAddressLiteral.of("8.8.8.8")};
        });
        assertEquals(InetAddressLiteral.of("93.184.216.34"), resolving.check(URI.create("https://hooks.example/hook")));
        assertEquals(1, lookups.get());
    }

    @Test
    void aNameThatDoesNotResolveIsReportedAsSuchNotAsRefused() {
        TargetGuard resolving = new TargetGuard(production, host -> {
            throw new UnknownHostException(host);
        });
        assertThrows(
                TargetGuard.UnresolvableTargetException.class,
                () -> resolving.check(URI.create("https://gone.example/hook")));
    }

    @Test
    void plainHttpIsRefusedUnlessAllowed() {
        assertThrows(
                TargetGuard.ForbiddenTargetException.class, () -> guard.check(URI.create("http://93.184.216.34/hook")));
        assertEquals(
                InetAddressLiteral.of("127.0.0.1"),
                new TargetGuard(TestRelayConfig.local()).check(URI.create("http://127.0.0.1:1/x")));
    }

    @Test
    void theValidatorReportsRefusedTargetsPerRoute() {
        RouteValidator validator = new RouteValidator(guard, production);
        var errors = validator.validate(
                "",
                List.of(
                        new RouteRequest(Channel.SLACK, "https://169.254.169.254/x", null, true, null),
                        new RouteRequest(Channel.SLACK, "http://hooks.example.com/x", null, true, null),
                        new RouteRequest(Channel.SLACK, "https://hooks.example.com/x", null, true, null),
                        new RouteRequest(Channel.SLACK, "https://[64:ff9b::a00:1]/x", null, true, null)));
        assertTrue(errors.get("routes[0].target").get(0).startsWith("Not allowed"), errors.toString());
        assertEquals(List.of("The URL must be https."), errors.get("routes[1].target"));
        assertTrue(errors.get("routes[3].target").get(0).startsWith("Not allowed"), errors.toString());
        assertEquals(3, errors.size());
    }

    /** Literal addresses only: never a DNS lookup. */
    private static final class InetAddressLiteral {
        static InetAddress of(String literal) {
            try {
                return InetAddress.getByName(literal);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(literal, e);
            }
        }
    }
}
