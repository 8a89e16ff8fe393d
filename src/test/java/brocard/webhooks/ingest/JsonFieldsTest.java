package brocard.webhooks.ingest;

import brocard.webhooks.inbound.InvalidWebhookException;
import brocard.webhooks.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Typed reading of fields: where the provider is loose we are lenient, where a value becomes an instant, strict. */
class JsonFieldsTest {

    @ParameterizedTest
    @CsvSource({
        "true,true",
        "false,false",
        "1,true",
        "0,false",
        "'\"true\"',true",
        "'\"false\"',false",
        "'\"1\"',true",
        "'\"0\"',false"
    })
    void booleansInEveryFormPhpSends(String json, boolean expected) {
        JsonFields f = fields("{\"is_micro\": " + json + "}");
        assertEquals(expected, f.optionalBoolean("is_micro"));
        assertFalse(f.hasErrors());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "-1", "1.0", "\"yes\"", "\"TRUE\"", "\"\"", "[]", "{}"})
    void otherBooleanFormsAreRefused(String json) {
        JsonFields f = fields("{\"is_micro\": " + json + "}");
        assertNull(f.optionalBoolean("is_micro"));
        assertEquals(Map.of("is_micro", List.of("The is micro field must be true or false.")), errors(f));
    }

    @ParameterizedTest
    @CsvSource({
        "'\"7311\"',7311",
        "7311,7311",
        "'\"0042\"',0042",
        "42,42",
        "123456789012345678901234567890," + "123456789012345678901234567890",
        "-5,-5"
    })
    void textTakesStringsAndIntegersAsTheirDigits(String json, String expected) {
        JsonFields f = fields("{\"merchant\": {\"mcc\": " + json + "}}");
        assertEquals(expected, f.optionalText("merchant.mcc"));
        assertFalse(f.hasErrors());
    }

    @ParameterizedTest
    @ValueSource(strings = {"73.11", "1e3", "true", "[]", "{}"})
    void textRefusesWhatIsNeitherAStringNorAnInteger(String json) {
        JsonFields f = fields("{\"code\": " + json + "}");
        assertNull(f.requiredText("code"));
        assertEquals(Map.of("code", List.of("The code must be a string.")), errors(f));
    }

    @Test
    void aDateIsReadInTheProviderZoneAndKeptAsSent() {
        ProviderDate date = new JsonFields(parse("{\"date\": \"2022-06-19 05:48:01\"}"), ZoneId.of("Europe/Riga"))
                .requiredDate("date");
        assertEquals("2022-06-19 05:48:01", date.original());
        assertEquals(Instant.parse("2022-06-19T02:48:01Z"), date.instant());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "+10000-01-01 00:00:00",
                "10000-01-01 00:00:00",
                "-0001-01-01 00:00:00",
                "2022-02-30 00:00:00",
                "2022-06-19 24:00:00",
                "2022-6-19 05:48:01",
                "2022-06-19T05:48:01",
                ""
            })
    void datesNotWrittenAsBrocardWritesThemAreRefused(String date) {
        JsonFields f = fields("{\"date\": \"" + date + "\"}");
        assertNull(f.requiredDate("date"));
        assertEquals(Map.of("date", List.of("The date does not match the format Y-m-d H:i:s.")), errors(f));
    }

    @ParameterizedTest
    @CsvSource({"0000-01-01 00:00:00,Z", "0001-01-01 00:00:00,+14:00", "9999-12-31 23:59:59,-10:00"})
    void datesWhoseInstantPostgresCannotHoldAreRefused(String date, String zone) {
        JsonFields f = new JsonFields(parse("{\"date\": \"" + date + "\"}"), ZoneOffset.of(zone));
        assertNull(f.requiredDate("date"));
        assertEquals(Map.of("date", List.of("The date must be a date between 0001-01-01 and 9999-12-31.")), errors(f));
    }

    @ParameterizedTest
    @CsvSource({
        "0001-01-01 00:00:00,Z",
        "9999-12-31 23:59:59,Z",
        "0001-01-01 00:00:00,-10:00",
        "9999-12-31 23:59:59,+14:00"
    })
    void theEdgesOfTheRangeAreTaken(String date, String zone) {
        JsonFields f = new JsonFields(parse("{\"date\": \"" + date + "\"}"), ZoneOffset.of(zone));
        assertEquals(date, f.requiredDate("date").original());
        assertFalse(f.hasErrors());
    }

    @Test
    void decimalStringsHaveTheSameBoundAsNumbers() {
        assertEquals(
                1001,
                fields("{\"amount\": \"" + "9".repeat(1000) + ".5\"}")
                        .requiredDecimal("amount")
                        .precision());
        JsonFields tooLong = fields("{\"amount\": \"0." + "0".repeat(1000) + "1\"}");
        assertNull(tooLong.requiredDecimal("amount"));
        assertEquals(
                Map.of(
                        "amount",
                        List.of("The amount must not have more than 1000 digits before or after the decimal point.")),
                errors(tooLong));
    }

    private static JsonFields fields(String json) {
        return new JsonFields(parse(json), ZoneOffset.UTC);
    }

    private static ObjectNode parse(String json) {
        return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, List<String>> errors(JsonFields f) {
        return assertThrows(InvalidWebhookException.class, f::throwIfInvalid).fieldErrors();
    }
}
