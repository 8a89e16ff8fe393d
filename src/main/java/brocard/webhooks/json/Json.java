package brocard.webhooks.json;

import brocard.webhooks.inbound.InvalidWebhookException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The one JSON configuration for webhook bodies: exact decimals (never doubles), duplicate keys refused (two
 * {@code id}s would make deduplication ambiguous), trailing garbage refused, and a canonical form (sorted keys) for
 * fingerprints.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            // "0.10" stays 0.10: trailing zeros of an amount are the sender's, not ours to drop.
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Parses a body that must be one JSON object. The error message gives the position or the limit, never the
     * content: a parser's own message quotes the offending token, which could be a secret. Whatever the parser cannot
     * read is the body's fault (400), never the service's.
     */
    public static ObjectNode parseObject(byte[] body) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonParseException e) {
            throw malformed("Malformed JSON at line %d, column %d."
                    .formatted(e.getLocation().getLineNr(), e.getLocation().getColumnNr()));
        } catch (StreamConstraintsException e) {
            throw malformed(limitExceeded(e));
        } catch (IOException e) {
            throw malformed("Malformed JSON.");
        } catch (NumberFormatException e) {
            // 1e9999999999: valid JSON, but its exponent does not fit a BigDecimal (Jackson does not wrap this one).
            throw malformed("The JSON contains a number whose exponent is out of range.");
        } catch (RuntimeException e) {
            throw malformed("Malformed JSON.");
        }
        if (node == null || node.isMissingNode()) {
            throw malformed("The request body is empty.");
        }
        if (!node.isObject()) {
            throw malformed("The request body must be a JSON object.");
        }
        return (ObjectNode) node;
    }

    /** The body with keys sorted at every level: equal content gives equal bytes whatever the sender's key order. */
    public static byte[] canonicalBytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A parsed JSON tree could not be written back", e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "Could not write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Which of Jackson's {@link StreamReadConstraints} the body exceeds, told with our own words. */
    private static String limitExceeded(StreamConstraintsException e) {
        StreamReadConstraints limits = MAPPER.getFactory().streamReadConstraints();
        String what = String.valueOf(e.getOriginalMessage());
        if (what.startsWith("Document nesting depth")) {
            return "The JSON is nested more than %d levels deep.".formatted(limits.getMaxNestingDepth());
        }
        if (what.startsWith("Number value length")) {
            return "The JSON contains a number longer than %d characters.".formatted(limits.getMaxNumberLength());
        }
        if (what.startsWith("Name length")) {
            return "The JSON contains a field name longer than %d characters.".formatted(limits.getMaxNameLength());
        }
        if (what.startsWith("String value length")) {
            return "The JSON contains a string longer than %d characters.".formatted(limits.getMaxStringLength());
        }
        return "The JSON exceeds a parser limit.";
    }

    private static InvalidWebhookException malformed(String message) {
        return new InvalidWebhookException(InvalidWebhookException.Reason.MALFORMED_JSON, message, Map.of());
    }
}
