package brocard.webhooks.ingest;

import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.Webhooks;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each kind of bad input: a clear 4xx in Brocard's error format, and the body kept in quarantine. */
@QuarkusTest
class ValidationTest {

    @Inject
    Rows rows;

    @Test
    void missingRequiredFieldsAre422ListingEachField() {
        ObjectNode body = Samples.fresh("payment-current");
        body.remove("amount");
        body.remove("date");
        ((ObjectNode) body.get("state")).remove("value");

        String requestId = Webhooks.post("", body)
                .statusCode(422)
                .body("message", equalTo("The given data was invalid."))
                .body("errors.amount", contains("The amount field is required."))
                .body("errors.date", contains("The date field is required."))
                .body("errors.'state.value'", contains("The state.value field is required."))
                .body("errors", not(hasKey("currency")))
                .extract()
                .path("request_id");

        Map<String, Object> row = quarantined(requestId);
        assertEquals("INVALID_FIELDS", row.get("reason"));
        assertEquals(422, row.get("http_status"));
        assertEquals("COMBINED", row.get("endpoint"));
        assertTrue(row.get("field_errors").toString().contains("The amount field is required."));
        assertTrue(row.get("body_preview").toString().contains("\"currency\": \"USD\""));
        assertEquals(
                0,
                rows.count(
                        "select count(*) from payment_event where payment_id = ?",
                        body.get("id").asLong()));
    }

    @Test
    void wrongTypesAre422() {
        ObjectNode body = Samples.fresh("refund-current");
        body.put("id", "abc");
        body.put("amount", "ten");
        body.put("date", "31/12/1999");
        body.put("currency", 840);

        Webhooks.post("/refunds", body)
                .statusCode(422)
                .body("errors.id", contains("The id must be an integer."))
                .body("errors.amount", contains("The amount must be a number."))
                .body("errors.date", contains("The date does not match the format Y-m-d H:i:s."))
                .body("errors.currency", contains("The currency must be a string."));
    }

    @Test
    void malformedJsonIs400AndTheRawBytesAreKept() {
        String broken = "{\"id\": 12, \"webhook_type\": \"refund\", ";
        String requestId = Webhooks.post("", broken)
                .statusCode(400)
                .body("message", startsWith("Malformed JSON at line 1"))
                .body("errors", anEmptyMap())
                .extract()
                .path("request_id");

        Map<String, Object> row = quarantined(requestId);
        assertEquals("MALFORMED_JSON", row.get("reason"));
        assertNull(row.get("body_preview"));
        assertEquals(broken.length(), row.get("body_size"));
    }

    @Test
    void nonJsonContentTypeIs415AndQuarantined() {
        String requestId = given().contentType(ContentType.TEXT)
                .queryParam("token", Webhooks.TOKEN)
                .body(Samples.fresh("refund-current").toString())
                .post("/webhooks/brocard")
                .then()
                .statusCode(415)
                .body("message", equalTo("The request body must be sent as application/json."))
                .extract()
                .path("request_id");
        assertEquals("UNSUPPORTED_MEDIA_TYPE", quarantined(requestId).get("reason"));
    }

    @Test
    void bodyOverTheLimitIs413AndNotStored() {
        long before = rows.count("select count(*) from quarantined_webhook");
        ObjectNode body = Samples.fresh("refund-current");
        body.put("padding", "x".repeat(70 * 1024));
        Webhooks.post("", body).statusCode(413);
        assertEquals(before, rows.count("select count(*) from quarantined_webhook"));
    }

    @Test
    void aWebhookTypeThatContradictsTheUrlIs422() {
        String requestId = Webhooks.post("/payments", Samples.fresh("refund-current"))
                .statusCode(422)
                .body("errors.webhook_type", contains("The webhook type must be payment at this URL."))
                .extract()
                .path("request_id");
        assertEquals("PAYMENTS", quarantined(requestId).get("endpoint"));
        Webhooks.post("/3ds", Samples.fresh("payment-current")).statusCode(422);
    }

    @Test
    void theCombinedUrlNeedsAWebhookType() {
        ObjectNode body = Samples.fresh("refund-current");
        body.remove("webhook_type");
        Webhooks.post("", body)
                .statusCode(422)
                .body("errors.webhook_type", contains("The webhook type field is required."));
        Webhooks.post("/refunds", body).statusCode(200).body("type", equalTo("refund"));
    }

    @Test
    void unknownFieldsAndAbsentOrNullDeclineAreAccepted() {
        ObjectNode withNull = Samples.fresh("payment-previous");
        withNull.putNull("decline");
        withNull.putObject("surprise").put("added_by_brocard", true);
        ((ObjectNode) withNull.get("card")).put("brand", "VISA");
        Webhooks.post("", withNull).statusCode(200).body("status", equalTo("accepted"));

        ObjectNode absent = Samples.fresh("payment-current");
        absent.remove("decline");
        absent.put("date_final_state", (String) null);
        Webhooks.post("", absent).statusCode(200).body("status", equalTo("accepted"));

        Map<String, Object> row = rows.query(
                        "select decline, body::text as body from payment_event where payment_id = ?",
                        withNull.get("id").asLong())
                .get(0);
        assertNull(row.get("decline"));
        assertTrue(row.get("body").toString().contains("added_by_brocard"), "unknown fields are kept");
        assertTrue(row.get("body").toString().contains("VISA"), "unknown nested fields are kept");
    }

    @Test
    void amountsAreExactDecimalsWhetherStringOrNumber() {
        ObjectNode body = Samples.fresh("refund-current");
        body.set("amount", com.fasterxml.jackson.databind.node.DecimalNode.valueOf(new java.math.BigDecimal("0.10")));
        Webhooks.post("", body).statusCode(200);
        assertEquals(
                "0.10",
                rows.query(
                                "select amount::text as a from refund_event where refund_id = ?",
                                body.get("id").asLong())
                        .get(0)
                        .get("a"));
    }

    @Test
    void threeDsBodiesInQuarantineKeepNoCodeInClear() {
        ObjectNode body = Samples.fresh("otp-example");
        body.put("code", "804271");
        body.remove("recipient_id");
        String requestId = Webhooks.post("/3ds", body)
                .statusCode(422)
                .body("errors.recipient_id", contains("The recipient id field is required."))
                .extract()
                .path("request_id");
        Map<String, Object> row = rows.query(
                        "select q::text as everything from quarantined_webhook q where id = ?",
                        UUID.fromString(requestId))
                .get(0);
        assertFalse(row.get("everything").toString().contains("804271"));
        assertFalse(row.get("everything").toString().contains(hex("804271")), "nor in the encrypted bytes");
    }

    private Map<String, Object> quarantined(String requestId) {
        return rows.query("select * from quarantined_webhook where id = ?", UUID.fromString(requestId))
                .get(0);
    }

    private static String hex(String text) {
        return java.util.HexFormat.of().formatHex(text.getBytes());
    }
}
