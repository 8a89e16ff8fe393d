package brocard.webhooks.keys;

import brocard.webhooks.json.Json;
import brocard.webhooks.otp.OtpSecrets;
import brocard.webhooks.otp.OtpWebhook;
import brocard.webhooks.otp.SecretBinding;
import brocard.webhooks.security.Hkdf;
import brocard.webhooks.security.KeyPurpose;
import brocard.webhooks.security.Keyring;
import brocard.webhooks.security.PurposeCipher;
import brocard.webhooks.support.ChannelServer;
import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Relay;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import brocard.webhooks.support.Webhooks;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A key rotation end to end, against the real database, Kafka and channels. The application runs mid-rotation: a new
 * key first (it seals), the old one (the test profile's single {@code brocard.otp.encryption-key}) still in the ring.
 * Data the previous deployment left (route secrets, quarantined bodies, outbox secrets and Kafka events, under the old
 * kid or in the pre-keyring format) must still open; re-encryption moves every stored secret to the new kid, after
 * which a ring without the old key (the next deployment's) opens everything stored.
 */
@QuarkusTest
@TestProfile(KeyRotationTest.MidRotation.class)
class KeyRotationTest {

    static final byte[] OLD = Base64.getDecoder().decode("dGVzdC1vbmx5LWtleS1uZXZlci11c2UtaW4tcHJvZCE=");
    static final byte[] NEW = "rotation-test-key-never-in-prod!".getBytes(StandardCharsets.UTF_8);
    static final String NEW_B64 = Base64.getEncoder().encodeToString(NEW);

    /** BROCARD_KEYS=new:…,old:… while BROCARD_OTP_ENCRYPTION_KEY still holds the old key (as during an upgrade). */
    public static class MidRotation implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "brocard.keys",
                    "new:" + NEW_B64 + ",old:" + Base64.getEncoder().encodeToString(OLD),
                    "brocard.key-rotation.interval",
                    "1h"); // the test runs it on demand
        }
    }

    @Inject
    Rows rows;

    @Inject
    OtpSecrets secrets;

    @Inject
    Keyring keyring;

    /** The ring of the deployment before: the old key alone, named "old". */
    private final Keyring before = new Keyring(
            List.of("old:" + Base64.getEncoder().encodeToString(OLD)),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    @Test
    void oldDataOpensNewDataUsesTheNewKidAndAfterReencryptionTheOldKeyCanGo() throws Exception {
        assertEquals("new", keyring.currentKid());

        // Route secrets: one written now, one under the old kid, one from before the keyring (raw key, no kid).
        long fresh = recipientWithWebhookRoute();
        long oldKid = recipientWithWebhookRoute();
        long preKeyring = recipientWithWebhookRoute();
        assertEquals(
                "new",
                rows.query("select secret_kid from delivery_route where recipient_id = ?", fresh)
                        .get(0)
                        .get("secret_kid"));
        PurposeCipher.Sealed underOld = before.cipher(KeyPurpose.ROUTE_SECRETS)
                .seal(Relay.SECRET.getBytes(StandardCharsets.UTF_8), routeContext(oldKid));
        rows.update(
                "update delivery_route set secret_encrypted = ?, secret_kid = ? where recipient_id = ?",
                underOld.ciphertext(),
                "old",
                oldKid);
        rows.update(
                "update delivery_route set secret_encrypted = ?, secret_kid = null where recipient_id = ?",
                rawSeal(Relay.SECRET.getBytes(StandardCharsets.UTF_8), routeContext(preKeyring)),
                preKeyring);

        // Events: one sealed by the old deployment, one in the pre-keyring format; both still delivered, signed
        // with the route secrets above (which therefore opened).
        for (long recipient : List.of(fresh, oldKid, preKeyring)) {
            String code = Relay.code();
            Relay.publishEvent(
                    recipient == oldKid ? new OtpSecrets(before) : secrets, recipient, code, Duration.ofMinutes(5));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Relay.requestsWith(code).size() == 1);
            assertSigned(Relay.requestsWith(code).get(0));
        }
        String legacyCode = Relay.code();
        Relay.publishRaw(Long.toString(preKeyring), preKeyringEvent(preKeyring, legacyCode));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Relay.requestsWith(legacyCode).size() == 1);

        // Quarantine: a body refused now (new kid), re-sealed as the old deployment and the pre-keyring one had.
        UUID newBody = quarantinedRefund();
        UUID oldBody = quarantinedRefund();
        UUID preKeyringBody = quarantinedRefund();
        assertEquals(
                "new",
                rows.query("select body_kid from quarantined_webhook where id = ?", newBody)
                        .get(0)
                        .get("body_kid"));
        reseal(oldBody, before.cipher(KeyPurpose.QUARANTINE).seal(originalBody(oldBody), quarantineContext(oldBody)));
        rows.update(
                "update quarantined_webhook set body_encrypted = ?, body_kid = null where id = ?",
                rawSeal(originalBody(preKeyringBody), quarantineContext(preKeyringBody)),
                preKeyringBody);

        // Outbox: a 3DS webhook's stored secret, re-sealed as the old deployment had it.
        long otpRecipient = recipientWithWebhookRoute();
        String storedCode = Relay.code();
        long otpId = Relay.sendCode(otpRecipient, storedCode);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Relay.requestsWith(storedCode).size() == 1);
        resealOutboxUnderOldKey(otpId, otpRecipient, storedCode);

        // The old rows open through the application meanwhile, and are counted by kid.
        admin().get("/admin/keys")
                .then()
                .statusCode(200)
                .body("currentKid", equalTo("new"))
                .body("sealedByKid.route_secrets.old", equalTo(1))
                .body("sealedByKid.route_secrets.legacy", equalTo(1))
                .body("sealedByKid.quarantine.old", equalTo(1))
                .body("sealedByKid.quarantine.legacy", equalTo(1))
                .body("sealedByKid.outbox_otp_secrets.old", equalTo(1));
        for (UUID id : List.of(newBody, oldBody, preKeyringBody)) {
            admin().queryParam("endpoint", "COMBINED")
                    .post("/admin/quarantine/" + id + "/replay")
                    .then()
                    .statusCode(200)
                    .body("outcome", equalTo("accepted"));
        }

        // Re-encryption moves every stored secret to the new kid.
        admin().post("/admin/keys/reencrypt")
                .then()
                .statusCode(200)
                .body("resealed.route_secrets", equalTo(2))
                .body("resealed.quarantine", equalTo(2))
                .body("resealed.outbox_otp_secrets", equalTo(1));
        assertEquals(
                0,
                rows.count("select count(*) from delivery_route where secret_encrypted is not null "
                        + "and secret_kid is distinct from 'new'"));
        assertEquals(
                0,
                rows.count("select count(*) from quarantined_webhook where body_encrypted is not null "
                        + "and body_kid is distinct from 'new'"));
        for (String store : List.of("route_secrets", "quarantine", "outbox_otp_secrets")) {
            assertEquals(0.0, Metrics.value("brocard_keys_not_current", "store=\"" + store + "\""), store);
        }

        // The next deployment: the new key alone, fingerprints pinned to the key they were made with.
        Keyring after = new Keyring(
                List.of("new:" + NEW_B64),
                Optional.empty(),
                Optional.of(Base64.getEncoder().encodeToString(before.fingerprintKey())),
                Optional.empty());
        assertArrayEquals(keyring.fingerprintKey(), after.fingerprintKey(), "replays still deduplicate");
        for (Map<String, Object> route : rows.query("select recipient_id, secret_kid, secret_encrypted "
                + "from delivery_route where secret_encrypted is not null")) {
            long recipient = (Long) route.get("recipient_id");
            assertEquals(
                    Relay.SECRET,
                    new String(
                            after.cipher(KeyPurpose.ROUTE_SECRETS)
                                    .openStored(
                                            (String) route.get("secret_kid"),
                                            (byte[]) route.get("secret_encrypted"),
                                            routeContext(recipient)),
                            StandardCharsets.UTF_8));
        }
        for (Map<String, Object> body : rows.query(
                "select id, body_kid, body_encrypted from quarantined_webhook " + "where body_encrypted is not null")) {
            UUID id = (UUID) body.get("id");
            after.cipher(KeyPurpose.QUARANTINE)
                    .openStored(
                            (String) body.get("body_kid"), (byte[]) body.get("body_encrypted"), quarantineContext(id));
        }
        ObjectNode payload = outboxPayload(otpId);
        assertEquals("new", payload.path(OtpSecrets.CODE_FIELD).path("kid").asText());
        assertEquals(storedCode, new OtpSecrets(after).decryptCode(payload, bindingOf(payload)));

        // A consumer given only the event-field key reads codes from Kafka, and opens no route secret.
        PurposeCipher eventFieldsOnly = PurposeCipher.withPurposeKey(
                KeyPurpose.EVENT_FIELDS, "new", Hkdf.derive(NEW, KeyPurpose.EVENT_FIELDS.info()));
        try (TopicReader topic = new TopicReader("brocard.otp")) {
            ObjectNode event = (ObjectNode) Json.mapper()
                    .readTree(
                            topic.exactly(1, Long.toString(otpRecipient)).get(0).value());
            assertEquals(storedCode, new OtpSecrets(eventFieldsOnly).decryptCode(event, bindingOf(event)));
        }
        Map<String, Object> route = rows.query(
                        "select secret_kid, secret_encrypted from delivery_route " + "where recipient_id = ?", fresh)
                .get(0);
        assertThrows(
                PurposeCipher.DoesNotOpenException.class,
                () -> eventFieldsOnly.open(
                        (String) route.get("secret_kid"), (byte[]) route.get("secret_encrypted"), routeContext(fresh)));
    }

    private long recipientWithWebhookRoute() {
        long recipient = Samples.nextId();
        Relay.putRecipient(recipient, List.of(Relay.webhookRoute("/rotation/" + recipient)));
        return recipient;
    }

    private UUID quarantinedRefund() {
        String id = Webhooks.post("/payments", Samples.fresh("refund-current"))
                .statusCode(422)
                .extract()
                .path("request_id");
        return UUID.fromString(id);
    }

    private byte[] originalBody(UUID id) {
        Map<String, Object> row = rows.query(
                        "select body_kid, body_encrypted from quarantined_webhook where id = ?", id)
                .get(0);
        return keyring.cipher(KeyPurpose.QUARANTINE)
                .openStored((String) row.get("body_kid"), (byte[]) row.get("body_encrypted"), quarantineContext(id));
    }

    private void reseal(UUID id, PurposeCipher.Sealed sealed) {
        rows.update(
                "update quarantined_webhook set body_encrypted = ?, body_kid = ? where id = ?",
                sealed.ciphertext(),
                sealed.kid(),
                id);
    }

    private void resealOutboxUnderOldKey(long otpId, long recipient, String code) {
        ObjectNode payload = outboxPayload(otpId);
        payload.remove(List.of(OtpSecrets.CODE_FIELD, OtpSecrets.PASSWORD_FIELD));
        new OtpSecrets(before)
                .addEncrypted(
                        payload,
                        new OtpWebhook(otpId, recipient, BigDecimal.ONE, "USD", null, null, code, null),
                        bindingOf(payload).expiresAt());
        assertEquals(
                1,
                rows.update(
                        "update outbox_event set payload = ? " + "where payload::jsonb #>> '{normalized,otp_id}' = ?",
                        Json.write(payload),
                        Long.toString(otpId)));
    }

    private ObjectNode outboxPayload(long otpId) {
        try {
            return (ObjectNode) Json.mapper().readTree((String) rows.query(
                            "select payload from outbox_event " + "where payload::jsonb #>> '{normalized,otp_id}' = ?",
                            Long.toString(otpId))
                    .get(0)
                    .get("payload"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SecretBinding bindingOf(ObjectNode event) {
        return new SecretBinding(
                event.path("normalized").path("otp_id").asLong(),
                event.path("normalized").path("recipient_id").asLong(),
                Instant.parse(event.path("normalized").path("expires_at").asText()));
    }

    /** A brocard.otp event as versions before the keyring published it: raw key, legacy kid, no "kdf". */
    private static String preKeyringEvent(long recipient, String code) throws Exception {
        long otpId = Samples.nextId();
        Instant now = Instant.now();
        Instant expiresAt = now.plus(Duration.ofMinutes(5));
        ObjectNode data = Json.mapper().createObjectNode();
        data.put("id", otpId).put("recipient_id", recipient).put("webhook_type", "otp_code");
        String legacyKid =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(OLD), 0, 8);
        data.putObject(OtpSecrets.CODE_FIELD)
                .put("alg", "A256GCM")
                .put("kid", legacyKid)
                .put(
                        "ciphertext",
                        Base64.getEncoder()
                                .encodeToString(rawSeal(
                                        code.getBytes(StandardCharsets.UTF_8),
                                        new SecretBinding(otpId, recipient, expiresAt).context("code"))));
        data.putObject("normalized")
                .put("otp_id", otpId)
                .put("recipient_id", recipient)
                .put("amount", "1.00")
                .put("currency", "USD")
                .put("received_at", now.toString())
                .put("expires_at", expiresAt.toString());
        return data.toString();
    }

    /** AES-256-GCM under the raw old key: how every ciphertext was sealed before the keyring. */
    private static byte[] rawSeal(byte[] plaintext, String context) {
        try {
            byte[] nonce = new byte[12];
            new SecureRandom().nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(OLD, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = new byte[12 + sealed.length];
            System.arraycopy(nonce, 0, out, 0, 12);
            System.arraycopy(sealed, 0, out, 12, sealed.length);
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertSigned(ChannelServer.Received hook) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(Relay.SECRET.substring(6)), "HmacSHA256"));
        String content =
                hook.headers().get("webhook-id") + "." + hook.headers().get("webhook-timestamp") + "." + hook.body();
        assertEquals(
                "v1," + Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8))),
                hook.headers().get("webhook-signature"));
    }

    private static String routeContext(long recipient) {
        return "brocard.relay/route-secret/" + recipient;
    }

    private static String quarantineContext(UUID id) {
        return "brocard.quarantine/" + id;
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + Webhooks.ADMIN_TOKEN);
    }
}
