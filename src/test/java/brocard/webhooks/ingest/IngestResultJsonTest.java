package brocard.webhooks.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-written 200 body is exactly what Jackson writes for the same result, escaping included. */
class IngestResultJsonTest {

    static Stream<IngestResult> results() {
        return Stream.of(
                IngestResult.accepted("payment", 123456789012L),
                IngestResult.duplicate("refund", 1L),
                IngestResult.accepted("otp_code", null),
                IngestResult.accepted(null, 5L),
                IngestResult.duplicate("card.issued-v2", 7L),
                IngestResult.accepted("we\"ird\\type\n", 8L),
                IngestResult.accepted("Ünïcode", 9L));
    }

    @ParameterizedTest
    @MethodSource("results")
    void isWhatJacksonWrites(IngestResult result) throws Exception {
        assertEquals(new ObjectMapper().writeValueAsString(result), result.json());
    }
}
