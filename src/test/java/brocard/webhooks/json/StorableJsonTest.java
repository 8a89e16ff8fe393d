package brocard.webhooks.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walk that decides what a body may hold, on parsed bodies (no database: {@code HostileInputTest} checks the
 * same edges against PostgreSQL).
 */
class StorableJsonTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1E+999",
                "-1E+999",
                "1e-1000",
                "0.5",
                "9.99E+998",
                "123456789012345678901234567890",
                "1.7976931348623157E+308",
                "4.9E-324"
            })
    void numbersUpToAThousandDigitsEachSideAreStorable(String number) {
        assertEquals(Map.of(), problems("{\"a\":" + number + "}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1E+1000", "-1E+1000", "1e-1001", "0.5e-1000", "1e200000", "-1E+2147483647"})
    void numbersBeyondAThousandDigitsAreNot(String number) {
        assertEquals(
                Map.of("a", List.of("The a must not have more than 1000 digits before or after the decimal point.")),
                problems("{\"a\":" + number + "}"));
    }

    @Test
    void exponentsMayAddAtMost64KCharactersInTotal() {
        // 1E+999 is 6 characters written and 1000 in full: 994 more each, so the 66th number crosses 65536.
        String numbers = "1e999,".repeat(65);
        assertEquals(Map.of(), problems("{\"a\":[" + numbers + "1]}"));
        assertEquals(
                Map.of(
                        "a.65",
                        List.of("The a.65 and the numbers before it are too long when written without exponents.")),
                problems("{\"a\":[" + numbers + "1e999, 1e999]}"));
    }

    @Test
    void nulAndUnpairedSurrogatesAreFoundInValuesAndNamesAtAnyDepth() {
        Map<String, List<String>> found = problems(
                """
                {"ok": "caf\\u00e9 \\ud83d\\ude00", "merchant": {"name": "Shop\\u0000Name"},
                 "fees": [{"type": "\\ud800x"}], "odd\\u0000key": 1, "tail": "\\udc00"}""");
        assertEquals(List.of("merchant.name", "fees.0.type", "odd\\u0000key", "tail"), List.copyOf(found.keySet()));
        assertEquals(List.of("The merchant.name must not contain a NUL character."), found.get("merchant.name"));
        assertEquals(
                List.of("The fees.0.type must be valid Unicode (it contains an unpaired surrogate)."),
                found.get("fees.0.type"));
        assertEquals(
                List.of("The name of the odd\\u0000key field must not contain a NUL character."),
                found.get("odd\\u0000key"));
    }

    @Test
    void senderChosenNamesInPathsAreEscapedAndCut() {
        String longName = "k".repeat(100);
        Map<String, List<String>> found = problems("{\"line\\nbreak\": {\"" + longName + "\": \"\\u0000\"}}");
        assertEquals(List.of("line\\u000abreak." + "k".repeat(64) + "…"), List.copyOf(found.keySet()));
    }

    @Test
    void atMostTwentyProblemsAreReported() {
        String many = "\"\\u0000\",".repeat(50);
        assertEquals(20, problems("{\"a\":[" + many + "1]}").size());
    }

    @Test
    void aBodyWithoutProblemsIsStorable() {
        assertTrue(problems("{\"id\": 1, \"amount\": \"100.00\", \"nested\": {\"list\": [1, 2.50, null, true]}}")
                .isEmpty());
    }

    private static Map<String, List<String>> problems(String json) {
        return StorableJson.problems(Json.parseObject(json.getBytes(StandardCharsets.UTF_8)));
    }
}
