package brocard.webhooks.otp;

import brocard.webhooks.support.CapturedLogs;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import brocard.webhooks.support.Webhooks;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A 3DS code and password exist in clear only in the request and in the relay: never in a table, log or record. */
@QuarkusTest
class OtpSecrecyTest {

    private static final List<String> TABLES = List.of(
            "otp_code_event",
            "outbox_event",
            "quarantined_webhook",
            "dedup_conflict",
            "unrecognized_webhook",
            "payment_event",
            "refund_event");

    @Inject
    Rows rows;

    @Inject
    OtpSecrets secrets;

    @Inject
    OtpSecretPurger purger;

    @Test
    void aCanaryCodeAppearsNowhereButInsideItsCiphertext() throws Exception {
        String code = canary();
        String password = "pw-" + canary();
        ObjectNode otp = Samples.fresh("otp-card-object");
        otp.put("code", code);
        otp.put("password", password);
        long id = otp.get("id").asLong();

        try (CapturedLogs logs = new CapturedLogs()) {
            Webhooks.post("/3ds", otp).statusCode(200).body("status", equalTo("accepted"));
            ObjectNode conflicting = otp.deepCopy();
            conflicting.put("amount", "2");
            Webhooks.post("/3ds", conflicting).statusCode(200).body("status", equalTo("duplicate"));
            ObjectNode invalid = otp.deepCopy();
            invalid.put("id", "not-a-number");
            Webhooks.post("/3ds", invalid).statusCode(422);
            Webhooks.post("/3ds", "{\"code\": \"" + code + "\", ").statusCode(400);

            ConsumerRecord<String, String> record;
            try (TopicReader topic = new TopicReader("brocard.otp")) {
                record = topic.exactly(1, otp.get("recipient_id").asText()).get(0);
            }
            assertFalse(record.value().contains(code), "record value");
            assertFalse(record.value().contains(password), "record value");
            record.headers().forEach(h -> assertFalse(new String(h.value()).contains(code), "record header"));
            ObjectNode data = (ObjectNode) new ObjectMapper().readTree(record.value());
            SecretBinding binding = new SecretBinding(
                    id,
                    data.path("normalized").path("recipient_id").asLong(),
                    Instant.parse(data.path("normalized").path("expires_at").asText()));
            assertEquals(code, secrets.decryptCode(data, binding), "the relay can still read it");
            assertEquals(password, secrets.decryptPassword(data, binding), "and the password");

            for (String table : TABLES) {
                String dump = rows.query("select coalesce(string_agg(t::text, ' '), '') as d from " + table + " t")
                        .get(0)
                        .get("d")
                        .toString();
                for (String secret : List.of(code, password)) {
                    assertFalse(dump.contains(secret), table + " holds a secret in clear");
                    assertFalse(dump.contains(HexFormat.of().formatHex(secret.getBytes())), table + " (bytea)");
                }
            }
            assertTrue(
                    logs.lines().stream().anyMatch(line -> line.contains("Quarantined webhook")),
                    "the capture sees the application's own log lines");
            logs.lines().forEach(line -> {
                assertFalse(line.contains(code), "a log line holds the code: " + line.replace(code, "<CODE>"));
                assertFalse(line.contains(password), "a log line holds the password");
            });
        }
    }

    @Test
    void encryptedSecretsArePurgedAfterTheTtl() {
        ObjectNode otp = Samples.fresh("otp-example");
        Webhooks.post("/3ds", otp).statusCode(200);
        String key = otp.get("recipient_id").asText();
        assertEquals(
                1,
                rows.count(
                        "select count(*) from outbox_event where topic = 'brocard.otp' and record_key = ? "
                                + "and contains_secret and payload::jsonb -> 'code_encrypted' is not null",
                        key));

        ObjectNode invalid = Samples.fresh("otp-example");
        invalid.remove("amount");
        String requestId =
                Webhooks.post("/3ds", invalid).statusCode(422).extract().path("request_id");

        rows.update(
                "update outbox_event set created_at = created_at - interval '11 minutes' "
                        + "where topic = 'brocard.otp' and record_key = ?",
                key);
        rows.update(
                "update quarantined_webhook set received_at = received_at - interval '11 minutes' where id = ?",
                java.util.UUID.fromString(requestId));
        purger.purgeExpired();

        assertEquals(
                1,
                rows.count(
                        "select count(*) from quarantined_webhook where id = ? and body_encrypted is null",
                        java.util.UUID.fromString(requestId)));

        assertEquals(
                1,
                rows.count(
                        "select count(*) from outbox_event where topic = 'brocard.otp' and record_key = ? "
                                + "and not contains_secret and payload::jsonb -> 'code_encrypted' is null "
                                + "and payload::jsonb -> 'normalized' is not null",
                        key));
    }

    private static String canary() {
        return String.format("%06d", new SecureRandom().nextInt(1_000_000)) + "9731";
    }
}
