package brocard.webhooks.ingest;

import brocard.webhooks.otp.OtpSecrets;
import brocard.webhooks.otp.SecretBinding;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.Webhooks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where Brocard's documentation is loose, every plausible form is taken: the stored columns and the event's
 * {@code normalized} object have the one typed form, the stored body and the event keep the value as sent.
 */
@QuarkusTest
class LenientFieldsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Rows rows;

    @Inject
    OtpSecrets secrets;

    @ParameterizedTest(name = "is_micro: {0}")
    @CsvSource({
        "true,true",
        "0,false",
        "1,true",
        "'\"true\"',true",
        "'\"false\"',false",
        "'\"1\"',true",
        "'\"0\"',false"
    })
    void isMicroInEveryFormPhpSends(String sent, boolean expected) throws Exception {
        ObjectNode payment = Samples.fresh("payment-current");
        payment.set("is_micro", JSON.readTree(sent));
        Webhooks.post("", payment).statusCode(200).body("status", equalTo("accepted"));

        Map<String, Object> row = paymentRow(payment);
        assertEquals(expected, row.get("is_micro"));
        JsonNode data = eventData(row);
        assertEquals(JSON.readTree(sent), data.get("is_micro"), "published as sent");
        assertEquals(expected, data.at("/normalized/is_micro").booleanValue(), "and as read");
    }

    @Test
    void anMccAndLastFourDigitsSentAsNumbersAreKeptAsTheirDigits() throws Exception {
        ObjectNode payment = Samples.fresh("payment-current");
        ((ObjectNode) payment.get("merchant")).put("mcc", 7311);
        ((ObjectNode) payment.get("card")).put("last_four", 1234);
        Webhooks.post("/payments", payment).statusCode(200);

        Map<String, Object> row = paymentRow(payment);
        assertEquals("7311", row.get("merchant_mcc"));
        assertEquals("1234", row.get("card_last_four"));
        assertEquals(
                "number",
                rows.query(
                                "select jsonb_typeof(body->'merchant'->'mcc') as t from payment_event "
                                        + "where payment_id = ?",
                                id(payment))
                        .get(0)
                        .get("t"),
                "the stored body keeps it as sent");
        JsonNode data = eventData(row);
        assertTrue(data.at("/merchant/mcc").isNumber());
        assertEquals("7311", data.at("/normalized/merchant_mcc").textValue());
        assertEquals("1234", data.at("/normalized/card_last_four").textValue());

        ObjectNode refund = Samples.fresh("refund-current");
        ((ObjectNode) refund.get("card")).put("last_four", 987);
        Webhooks.post("", refund).statusCode(200);
        Map<String, Object> refundRow = rows.query("select * from refund_event where refund_id = ?", id(refund))
                .get(0);
        assertEquals("987", refundRow.get("card_last_four"));
        assertEquals(
                "987", eventData(refundRow).at("/normalized/card_last_four").textValue());
    }

    @Test
    void aThreeDsCodeSentAsANumberIsStillDelivered() throws Exception {
        ObjectNode otp = Samples.fresh("otp-card-object");
        otp.put("code", 804271);
        otp.put("password", 4242);
        ((ObjectNode) otp.get("card")).put("last_four", 9876);
        Webhooks.post("/3ds", otp).statusCode(200).body("status", equalTo("accepted"));

        Map<String, Object> row = rows.query("select * from otp_code_event where otp_id = ?", id(otp))
                .get(0);
        assertEquals("9876", row.get("card_last_four"));
        assertEquals(true, row.get("has_password"));
        ObjectNode data = (ObjectNode) eventData(row);
        SecretBinding binding = new SecretBinding(
                id(otp),
                otp.get("recipient_id").asLong(),
                java.time.Instant.parse(data.at("/normalized/expires_at").textValue()));
        assertEquals("804271", secrets.decryptCode(data, binding), "the relay reads the code as its digits");
        assertEquals("4242", secrets.decryptPassword(data, binding), "and the password as its digits");
        assertEquals("9876", data.at("/normalized/card_last_four").textValue());
    }

    @Test
    void aCodeWithLeadingZerosCannotBeSentAsANumber() {
        ObjectNode otp = Samples.fresh("otp-example");
        // JSON has no integers with leading zeros: 012345 is malformed, and 12345 is all a number can say.
        Webhooks.post("/3ds", otp.toString().replace("\"123456\"", "012345"))
                .statusCode(400)
                .body("message", startsWith("Malformed JSON at line 1"));
    }

    @Test
    void formsBeyondTheLooseOnesAreStill422() {
        ObjectNode payment = Samples.fresh("payment-current");
        payment.put("is_micro", "yes");
        ((ObjectNode) payment.get("merchant")).put("mcc", 73.11);
        Webhooks.post("", payment)
                .statusCode(422)
                .body("errors.is_micro", contains("The is micro field must be true or false."))
                .body("errors.'merchant.mcc'", contains("The merchant.mcc must be a string."));

        ObjectNode otp = Samples.fresh("otp-example");
        otp.putObject("code").put("value", "123456");
        Webhooks.post("/3ds", otp).statusCode(422).body("errors.code", contains("The code must be a string."));
    }

    private Map<String, Object> paymentRow(ObjectNode payment) {
        return rows.query("select * from payment_event where payment_id = ?", id(payment))
                .get(0);
    }

    /** The event as queued for Kafka: the outbox row written in the webhook's transaction. */
    private JsonNode eventData(Map<String, Object> row) throws Exception {
        return JSON.readTree(
                rows.query("select payload::text as p from outbox_event where event_id = ?", row.get("event_id"))
                        .get(0)
                        .get("p")
                        .toString());
    }

    private static long id(ObjectNode body) {
        return body.get("id").asLong();
    }
}
