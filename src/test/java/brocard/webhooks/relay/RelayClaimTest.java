package brocard.webhooks.relay;

import brocard.webhooks.config.RelayConfig;
import brocard.webhooks.db.Jdbc;
import brocard.webhooks.otp.OtpSecrets;
import brocard.webhooks.relay.channel.DeliveryChannel;
import brocard.webhooks.relay.channel.OtpMessage;
import brocard.webhooks.relay.directory.RecipientDirectory;
import brocard.webhooks.relay.directory.RouteTarget;
import brocard.webhooks.support.ChannelServer;
import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Relay;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two relay instances, or a redelivery, racing on the same code and route: the claim in PostgreSQL lets exactly one
 * send. The second instance here is a real one (its own dispatcher, delivery log and owner name, on the same
 * database, channels and HTTP client as the application's), so the race is the one two replicas would run.
 */
@QuarkusTest
class RelayClaimTest {

    @Inject
    Rows rows;

    @Inject
    OtpSecrets secrets;

    @Inject
    Jdbc jdbc;

    @Inject
    RelayConfig config;

    @Inject
    Instance<DeliveryChannel> channels;

    @Inject
    RecipientDirectory directory;

    @Inject
    OtpEventReader reader;

    @Inject
    DeliveryLog applicationLog;

    private final List<OtpDispatcher> otherReplicas = new ArrayList<>();

    @AfterEach
    void stopOtherReplicas() {
        otherReplicas.forEach(replica -> replica.stop(null));
    }

    @Test
    void twoReplicasAndARedeliveryRacingOnOneCodeSendItOnce() {
        long recipient = Samples.nextId();
        String path = "/claim-race/" + recipient;
        ChannelServer.get().stall(path, 300); // each send is in flight for a while: the copies overlap
        Relay.putRecipient(recipient, List.of(Relay.webhookRoute(path)));
        String code = Relay.code();
        Relay.Event event = Relay.event(secrets, recipient, code, Duration.ofMinutes(5));
        OtpDispatcher other = otherReplica("other-replica-" + recipient);
        OtpMessage message = reader.read(event.key(), event.value());
        List<RouteTarget> routes = directory
                .routesFor(
                        recipient,
                        event.otpId(),
                        reader.read(event.key(), event.value()).codeFingerprint())
                .orElseThrow()
                .toAttempt();

        // The application's relay gets the record twice (a redelivery), the other replica delivers it meanwhile.
        Relay.publishRaw(event.key(), event.value());
        CompletableFuture<Void> byOther = other.deliver(message, routes, false);
        Relay.publishRaw(event.key(), event.value());

        await().atMost(Duration.ofSeconds(30))
                .until(() -> byOther.isDone() && "delivered".equals(status(event.otpId())));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .until(() -> Relay.requestsWith(code).size() == 1);
        assertEquals(
                1, rows.count("select count(*) from otp_delivery where otp_id = ? and attempts = 1", event.otpId()));
    }

    @Test
    void aReplicaThatDiesBetweenAttemptsIsTakenOverAfterItsLeaseAndTheCodeIsAcceptedOnce() {
        long recipient = Samples.nextId();
        String path = "/claim-crash/" + recipient;
        ChannelServer.get().script(path, 503); // the dying replica's first attempt fails: it will retry later
        Relay.putRecipient(recipient, List.of(Relay.webhookRoute(path)));
        String code = Relay.code();
        Relay.Event event = Relay.event(secrets, recipient, code, Duration.ofMinutes(5));
        String deadOwner = "dying-replica-" + recipient;
        OtpDispatcher dying = otherReplica(deadOwner);
        dying.deliver(
                reader.read(event.key(), event.value()),
                directory
                        .routesFor(
                                recipient,
                                event.otpId(),
                                reader.read(event.key(), event.value()).codeFingerprint())
                        .orElseThrow()
                        .toAttempt(),
                false);
        await().atMost(Duration.ofSeconds(10)).until(() -> "pending".equals(status(event.otpId())));
        dying.stop(null); // it dies waiting for its retry: its claim stays, with a lease nobody renews
        double takenOver = Metrics.value("brocard_relay_claims_total", "outcome=\"taken_over_between_attempts\"");

        Relay.publishRaw(event.key(), event.value()); // Kafka redelivers the unacknowledged record to a live replica

        await().atMost(Duration.ofSeconds(30)).until(() -> "delivered".equals(status(event.otpId())));
        List<ChannelServer.Received> requests = Relay.requestsWith(code);
        assertEquals(2, requests.size(), "the refused attempt of the dead replica, then one accepted send");
        assertEquals(applicationLog.owner(), owner(event.otpId()));
        assertNotEquals(deadOwner, owner(event.otpId()));
        assertEquals(
                takenOver + 1, Metrics.value("brocard_relay_claims_total", "outcome=\"taken_over_between_attempts\""));
    }

    @Test
    void aCopyArrivingAfterTheRouteFinishedSendsNothing() {
        long recipient = Samples.nextId();
        String path = "/claim-late/" + recipient;
        Relay.putRecipient(recipient, List.of(Relay.webhookRoute(path)));
        String code = Relay.code();
        Relay.Event event = Relay.event(secrets, recipient, code, Duration.ofMinutes(5));
        Relay.publishRaw(event.key(), event.value());
        await().atMost(Duration.ofSeconds(30)).until(() -> "delivered".equals(status(event.otpId())));
        OtpMessage message = reader.read(event.key(), event.value());
        RouteTarget route = directory
                .routesFor(
                        recipient,
                        event.otpId(),
                        reader.read(event.key(), event.value()).codeFingerprint())
                .orElseThrow()
                .enabled()
                .get(0);

        // A replica that looked the routes up before the first one finished still goes through the claim.
        CompletableFuture<Void> late =
                otherReplica("late-replica-" + recipient).deliver(message, List.of(route), false);

        await().atMost(Duration.ofSeconds(10)).until(late::isDone);
        assertEquals(1, Relay.requestsWith(code).size());
        assertTrue(
                rows.count("select count(*) from otp_delivery where otp_id = ? and status = 'delivered'", event.otpId())
                        == 1);
    }

    private OtpDispatcher otherReplica(String owner) {
        OtpDispatcher replica =
                new OtpDispatcher(channels, new DeliveryLog(jdbc, config, owner), config, new SimpleMeterRegistry());
        otherReplicas.add(replica);
        return replica;
    }

    private String status(long otpId) {
        List<java.util.Map<String, Object>> found =
                rows.query("select status from otp_delivery where otp_id = ?", otpId);
        return found.isEmpty() ? null : (String) found.get(0).get("status");
    }

    private String owner(long otpId) {
        return (String) rows.query("select owner from otp_delivery where otp_id = ?", otpId)
                .get(0)
                .get("owner");
    }
}
