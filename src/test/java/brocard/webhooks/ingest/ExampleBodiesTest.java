package brocard.webhooks.ingest;

import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import brocard.webhooks.support.Webhooks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every example body of both API documents: accepted, stored, and published once with the right key and envelope. */
@QuarkusTest
class ExampleBodiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Rows rows;

    @ParameterizedTest(name = "{0} to /webhooks/brocard{1}")
    @CsvSource({"payment-current,''", "payment-previous,''", "payment-current,/payments", "payment-previous,/payments"})
    void paymentExamplesAreStoredAndPublished(String sample, String path) throws Exception {
        ObjectNode body = Samples.fresh(sample);
        long id = body.get("id").asLong();

        Webhooks.post(path, body)
                .statusCode(200)
                .body("status", equalTo("accepted"))
                .body("type", equalTo("payment"))
                .body("id", equalTo((int) id));

        Map<String, Object> row = rows.query("select * from payment_event where payment_id = ?", id)
                .get(0);
        assertEquals(0, new BigDecimal("100.00").compareTo((BigDecimal) row.get("amount")));
        assertEquals("USD", row.get("currency"));
        assertEquals(1L, row.get("state_value"));
        assertEquals("card-blocked", row.get("decline"));
        assertEquals("1234", row.get("card_last_four"));
        assertEquals(2L, row.get("user_id"));
        assertEquals(1L, row.get("team_id"));
        assertEquals("2022-06-19 05:48:01", row.get("provider_date"));
        assertEquals(
                OffsetDateTime.of(2022, 6, 19, 5, 48, 1, 0, ZoneOffset.UTC).toInstant(), row.get("provider_date_at"));
        boolean current = sample.equals("payment-current");
        assertEquals(current ? "7311" : null, row.get("merchant_mcc"));
        assertEquals(current ? "2022-06-19 05:48:03" : null, row.get("date_final_state"));
        assertEquals(1L, rows.count("select count(*) from payment where payment_id = ? and state_value = 1", id));

        try (TopicReader topic = new TopicReader("brocard.payments")) {
            ConsumerRecord<String, String> record =
                    topic.exactly(1, Long.toString(id)).get(0);
            assertCloudEvent(record, row.get("event_id").toString(), "brocard.payment.settled", "payment/" + id);
            JsonNode data = JSON.readTree(record.value());
            assertEquals(id, data.get("id").asLong());
            assertEquals("100.00", data.get("amount").asText());
            assertEquals("GOOGLE", data.at("/merchant/descriptor").asText(), "original fields are kept");
            assertEquals("settled", data.at("/normalized/state").asText());
            assertEquals("2022-06-19T05:48:01Z", data.at("/normalized/date").asText());
        }
    }

    @ParameterizedTest(name = "{0} to /webhooks/brocard{1}")
    @CsvSource({"refund-current,''", "refund-previous,''", "refund-current,/refunds"})
    void refundExamplesAreStoredAndPublished(String sample, String path) throws Exception {
        ObjectNode body = Samples.fresh(sample);
        long id = body.get("id").asLong();

        Webhooks.post(path, body)
                .statusCode(200)
                .body("status", equalTo("accepted"))
                .body("type", equalTo("refund"))
                .body("id", equalTo((int) id));

        Map<String, Object> row =
                rows.query("select * from refund_event where refund_id = ?", id).get(0);
        assertEquals(0, new BigDecimal("100.00").compareTo((BigDecimal) row.get("amount")));
        assertEquals("1999-12-31 23:59:59", row.get("provider_date"));
        assertEquals("1234", row.get("card_last_four"));
        try (TopicReader topic = new TopicReader("brocard.refunds")) {
            ConsumerRecord<String, String> record =
                    topic.exactly(1, Long.toString(id)).get(0);
            assertCloudEvent(record, row.get("event_id").toString(), "brocard.refund.created", "refund/" + id);
            assertEquals(
                    "Dummy team",
                    JSON.readTree(record.value()).at("/user/team/name").asText());
        }
    }

    @ParameterizedTest(name = "{0} to /webhooks/brocard{1}")
    @CsvSource({"otp-example,/3ds", "otp-example,''", "otp-card-object,/3ds"})
    void threeDsExamplesAreStoredAndPublishedKeyedByRecipient(String sample, String path) throws Exception {
        ObjectNode body = Samples.fresh(sample);
        long id = body.get("id").asLong();
        long recipient = body.get("recipient_id").asLong();

        Webhooks.post(path, body)
                .statusCode(200)
                .body("status", equalTo("accepted"))
                .body("type", equalTo("otp_code"))
                .body("id", equalTo((int) id));

        Map<String, Object> row =
                rows.query("select * from otp_code_event where otp_id = ?", id).get(0);
        assertEquals(recipient, row.get("recipient_id"));
        assertEquals("0000", row.get("card_last_four"), "read from card_last_four or card.last_four");
        assertEquals(sample.equals("otp-card-object"), row.get("has_password"));
        try (TopicReader topic = new TopicReader("brocard.otp")) {
            ConsumerRecord<String, String> record =
                    topic.exactly(1, Long.toString(recipient)).get(0);
            assertCloudEvent(record, row.get("event_id").toString(), "brocard.otp.received", "otp_code/" + id);
            JsonNode data = JSON.readTree(record.value());
            assertFalse(data.has("code"), "no code in clear");
            assertFalse(data.has("password"), "no password in clear");
            assertEquals("A256GCM", data.at("/code_encrypted/alg").asText());
            assertEquals(sample.equals("otp-card-object"), data.has("password_encrypted"));
            assertEquals(recipient, data.at("/normalized/recipient_id").asLong());
        }
    }

    private static void assertCloudEvent(
            ConsumerRecord<String, String> record, String eventId, String type, String subject) {
        Map<String, String> headers = TopicReader.ceHeaders(record);
        assertEquals("1.0", headers.get("ce_specversion"));
        assertEquals(eventId, headers.get("ce_id"));
        UUID.fromString(headers.get("ce_id"));
        assertEquals(type, headers.get("ce_type"));
        assertEquals(subject, headers.get("ce_subject"));
        assertEquals("urn:brocard-webhooks", headers.get("ce_source"));
        assertEquals("application/json", headers.get("content-type"));
        assertTrue(headers.containsKey("ce_time"), "ce_time header present: " + List.copyOf(headers.keySet()));
    }
}
