package brocard.webhooks.ingest;

import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.Webhooks;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Input that used to end in a 500 or be altered silently: each is now refused with a 4xx naming the field (and kept,
 * encrypted, in quarantine, whose preview never fails on it), or stored as sent where PostgreSQL can hold it. The
 * edges are checked against the real database: what validation lets through, PostgreSQL stores.
 */
@QuarkusTest
class HostileInputTest {

    @Inject
    Rows rows;

    @Test
    void aNulCharacterInAnyValueOrFieldNameIs422NamingItsPath() {
        ObjectNode payment = Samples.fresh("payment-current");
        ((ObjectNode) payment.get("merchant")).put("name", "Shop\0Name");
        ((ObjectNode) payment.get("fees").get(0)).put("type", "inter\0national");
        payment.put("odd\0name", 1);

        ValidatableResponse answer = Webhooks.post("", payment).statusCode(422);
        // The field name as shown: the NUL escaped, so the path itself is safe to answer, store and log.
        assertEquals(
                Map.of(
                        "merchant.name", List.of("The merchant.name must not contain a NUL character."),
                        "fees.0.type", List.of("The fees.0.type must not contain a NUL character."),
                        "odd\\u0000name",
                                List.of("The name of the odd\\u0000name field must not contain a NUL character.")),
                answer.extract().path("errors"));
        String requestId = answer.extract().path("request_id");

        Map<String, Object> row = quarantined(requestId);
        assertEquals("INVALID_FIELDS", row.get("reason"));
        assertNull(row.get("body_preview"), "jsonb cannot hold the body: kept only as encrypted bytes");
        assertNotNull(row.get("body_encrypted"));
        assertEquals(0, rows.count("select count(*) from payment_event where payment_id = ?", id(payment)));
    }

    @Test
    void aNulOnlyInA3dsCodeKeepsThePreviewWhichNeverHoldsTheCode() {
        ObjectNode otp = Samples.fresh("otp-example");
        otp.put("code", "12" + '\0' + "34");
        String requestId = Webhooks.post("/3ds", otp)
                .statusCode(422)
                .body("errors.code", contains("The code must not contain a NUL character."))
                .extract()
                .path("request_id");
        Object preview = quarantined(requestId).get("body_preview");
        assertNotNull(preview, "without its code the body is storable");
        assertFalse(preview.toString().contains("\"code\""));
    }

    @Test
    void anUnpairedSurrogateIs422InsteadOfBeingStoredAsAQuestionMark() {
        ObjectNode refund = Samples.fresh("refund-current");
        String body = refund.toString().replace("\"payer\"", "\"pa\\ud800yer\"");
        Webhooks.post("", body)
                .statusCode(422)
                .body(
                        "errors.'user.name'",
                        contains("The user.name must be valid Unicode (it contains an unpaired surrogate)."));
        assertEquals(0, rows.count("select count(*) from refund_event where refund_id = ?", id(refund)));

        ObjectNode paired = Samples.fresh("refund-current");
        Webhooks.post("", paired.toString().replace("\"payer\"", "\"pa\\ud83d\\ude00yer\""))
                .statusCode(200);
        assertEquals(
                "pa\uD83D\uDE00yer",
                rows.query("select body->'user'->>'name' as n from refund_event " + "where refund_id = ?", id(paired))
                        .get(0)
                        .get("n"));
    }

    @ParameterizedTest
    @CsvSource({"1e200000,extra", "1E+1000,extra", "1e-1001,extra", "-1e200000,fees.0.amount"})
    void aNumberBeyondAThousandDigitsIs422NamingItsPath(String number, String path) {
        ObjectNode payment = Samples.fresh("payment-current");
        payment.put("extra", "@NUMBER@");
        ((ObjectNode) payment.get("fees").get(0)).put("amount", "@FEE@");
        String body = payment.toString()
                .replace("\"@NUMBER@\"", path.equals("extra") ? number : "1")
                .replace("\"@FEE@\"", path.equals("extra") ? "\"1.23\"" : number);

        String requestId = Webhooks.post("/payments", body)
                .statusCode(422)
                .body(
                        "errors.'" + path + "'",
                        contains("The " + path
                                + " must not have more than 1000 digits before or after the decimal point."))
                .extract()
                .path("request_id");
        assertNull(quarantined(requestId).get("body_preview"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1E+999", "-1e999", "1e-1000"})
    void numbersAtTheEdgeAreStoredAsSent(String number) {
        ObjectNode refund = Samples.fresh("refund-current");
        refund.put("extra", "@NUMBER@");
        Webhooks.post("", refund.toString().replace("\"@NUMBER@\"", number))
                .statusCode(200)
                .body("status", equalTo("accepted"));
        String stored =
                (String) rows.query("select body->>'extra' as n from refund_event where refund_id = ?", id(refund))
                        .get(0)
                        .get("n");
        assertEquals(0, new java.math.BigDecimal(number).compareTo(new java.math.BigDecimal(stored)));
    }

    @Test
    void exponentsThatWouldInflateTheStoredBodyAre422() {
        // 1e999 is 5 bytes sent and 1000 digits stored; 65 of them fit the 64K budget, the 66th does not.
        ObjectNode fits = Samples.fresh("refund-current");
        fits.put("extra", "@NUMBERS@");
        Webhooks.post("", fits.toString().replace("\"@NUMBERS@\"", "[" + "1e999,".repeat(64) + "1e999]"))
                .statusCode(200);

        ObjectNode inflates = Samples.fresh("refund-current");
        inflates.put("extra", "@NUMBERS@");
        Webhooks.post("", inflates.toString().replace("\"@NUMBERS@\"", "[" + "1e999,".repeat(70) + "1e999]"))
                .statusCode(422)
                .body(
                        "errors.'extra.65'",
                        contains(
                                "The extra.65 and the numbers before it are too long when written without exponents."));
    }

    @Test
    void anExponentBeyondWhatJavaCanHoldIs400AndQuarantined() {
        String body = Samples.fresh("payment-current").toString().replace("\"Google\"", "1e9999999999");
        String requestId = Webhooks.post("", body)
                .statusCode(400)
                .body("message", equalTo("The JSON contains a number whose exponent is out of range."))
                .body("errors", anEmptyMap())
                .extract()
                .path("request_id");
        assertEquals("MALFORMED_JSON", quarantined(requestId).get("reason"));
    }

    @Test
    void bodiesBeyondTheParsersLimitsAre400AndQuarantined() {
        assertLimit(
                "{\"a\":" + "[".repeat(1001) + "]".repeat(1001) + "}",
                "The JSON is nested more than 1000 levels deep.");
        assertLimit("{\"a\":" + "1".repeat(1001) + "}", "The JSON contains a number longer than 1000 characters.");
        assertLimit(
                "{\"" + "k".repeat(50_001) + "\":1}", "The JSON contains a field name longer than 50000 characters.");
        // Just inside the limits, the body is JSON like any other: refused for its fields, not for its shape.
        Webhooks.post("", "{\"a\":" + "[".repeat(999) + "]".repeat(999) + "}").statusCode(422);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"+10000-01-01 00:00:00", "10000-01-01 00:00:00", "2022-02-30 00:00:00", "2022-06-19 24:00:00"})
    void datesNotInBrocardsFormatAre422(String date) {
        ObjectNode refund = Samples.fresh("refund-current");
        refund.put("date", date);
        Webhooks.post("/refunds", refund)
                .statusCode(422)
                .body("errors.date", contains("The date does not match the format Y-m-d H:i:s."));
    }

    @Test
    void yearsPostgresCannotHoldAre422AndTheEdgesAreStored() {
        ObjectNode yearZero = Samples.fresh("refund-current");
        yearZero.put("date", "0000-01-01 00:00:00");
        Webhooks.post("/refunds", yearZero)
                .statusCode(422)
                .body("errors.date", contains("The date must be a date between 0001-01-01 and 9999-12-31."));

        for (String edge : new String[] {"0001-01-01 00:00:00", "9999-12-31 23:59:59"}) {
            ObjectNode refund = Samples.fresh("refund-current");
            refund.put("date", edge);
            Webhooks.post("/refunds", refund).statusCode(200);
            assertEquals(
                    edge,
                    rows.query(
                                    "select to_char(provider_date_at at time zone 'UTC', "
                                            + "'YYYY-MM-DD HH24:MI:SS') as at from refund_event where refund_id = ?",
                                    id(refund))
                            .get(0)
                            .get("at"),
                    "stored as the instant it denotes (provider zone UTC in tests)");
        }
    }

    @Test
    void anAmountStringBeyondNumericIs422NotADatabaseRefusal() {
        ObjectNode refund = Samples.fresh("refund-current");
        refund.put("amount", "0." + "0".repeat(17_000) + "1");
        Webhooks.post("", refund)
                .statusCode(422)
                .body(
                        "errors.amount",
                        contains("The amount must not have more than 1000 digits before or after the decimal point."));
    }

    @Test
    void aReplayOfAStoredIdWithAnUnstorableBodyIs422AndTheStoredWebhookStays() {
        ObjectNode refund = Samples.fresh("refund-current");
        Webhooks.post("", refund).statusCode(200).body("status", equalTo("accepted"));
        ObjectNode replay = refund.deepCopy();
        ((ObjectNode) replay.get("user")).put("name", "pay\0er");

        Webhooks.post("", replay)
                .statusCode(422)
                .body("errors.'user.name'", contains("The user.name must not contain a NUL character."));
        assertEquals(
                "payer",
                rows.query("select body->'user'->>'name' as n from refund_event where refund_id = ?", id(refund))
                        .get(0)
                        .get("n"));
        assertEquals(
                0,
                rows.count(
                        "select count(*) from dedup_conflict where webhook_type = 'refund' " + "and dedup_key = ?",
                        refund.get("id").asText()));
        // The same replay without the NUL is an ordinary duplicate.
        Webhooks.post("", refund).statusCode(200).body("status", equalTo("duplicate"));
    }

    @Test
    void anUnknownWebhookTypeWithUnstorableContentIs422NotA500() {
        Webhooks.post("", "{\"webhook_type\": \"new\\u0000kind\", \"id\": 5}")
                .statusCode(422)
                .body("errors.webhook_type", contains("The webhook type must not contain a NUL character."));
        Webhooks.post("", "{\"webhook_type\": \"new_kind\", \"id\": 5, \"v\": 1e200000}")
                .statusCode(422)
                .body(
                        "errors.v",
                        contains("The v must not have more than 1000 digits before or after the decimal " + "point."));
    }

    @Test
    void aContentTypeThatIsNotAMediaTypeIs415InBrocardsFormatAndQuarantinedAsSent() {
        String requestId = given().contentType("garbage")
                .queryParam("token", Webhooks.TOKEN)
                .body(Samples.fresh("refund-current").toString().getBytes(StandardCharsets.UTF_8))
                .post("/webhooks/brocard/refunds")
                .then()
                .statusCode(415)
                .body("message", equalTo("The request body must be sent as application/json."))
                .extract()
                .path("request_id");
        Map<String, Object> row = quarantined(requestId);
        assertEquals("UNSUPPORTED_MEDIA_TYPE", row.get("reason"));
        assertTrue(
                row.get("content_type").toString().startsWith("garbage"),
                row.get("content_type").toString());
    }

    private void assertLimit(String body, String message) {
        ValidatableResponse answer = Webhooks.post("", body).statusCode(400).body("message", equalTo(message));
        assertEquals(
                "MALFORMED_JSON",
                quarantined(answer.extract().path("request_id")).get("reason"));
    }

    private Map<String, Object> quarantined(String requestId) {
        return rows.query("select * from quarantined_webhook where id = ?", UUID.fromString(requestId))
                .get(0);
    }

    private static long id(ObjectNode body) {
        return body.get("id").asLong();
    }
}
