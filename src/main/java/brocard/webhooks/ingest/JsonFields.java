package brocard.webhooks.ingest;

import brocard.webhooks.inbound.InvalidWebhookException;
import brocard.webhooks.json.StorableJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads typed fields out of a webhook body by dotted path, collecting every problem in Brocard's own error format
 * ({@code {"field": ["The field must be an integer."]}}) instead of stopping at the first. Messages name the field,
 * never its value. Unknown fields are not this class's concern: they stay in the stored body.
 */
public final class JsonFields {

    private static final Pattern DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Pattern DIGITS = Pattern.compile("-?\\d{1,18}");
    /**
     * {@code Y-m-d H:i:s} as PHP writes it: exactly four year digits (no sign, no fifth digit), and strict, so that
     * {@code 2022-02-30} or {@code 24:00:00} are refused instead of silently becoming another instant.
     */
    private static final DateTimeFormatter PROVIDER_DATE = new DateTimeFormatterBuilder()
            .appendValue(ChronoField.YEAR, 4)
            .appendLiteral('-')
            .appendValue(ChronoField.MONTH_OF_YEAR, 2)
            .appendLiteral('-')
            .appendValue(ChronoField.DAY_OF_MONTH, 2)
            .appendLiteral(' ')
            .appendValue(ChronoField.HOUR_OF_DAY, 2)
            .appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);
    /** Years PostgreSQL's timestamptz takes in the ISO form the writer sends (year 0 and 5 digits it refuses). */
    private static final int FIRST_YEAR = 1;

    private static final int LAST_YEAR = 9999;

    private final ObjectNode root;
    private final ZoneId providerZone;
    private final Map<String, List<String>> errors = new LinkedHashMap<>();

    public JsonFields(ObjectNode root, ZoneId providerZone) {
        this.root = root;
        this.providerZone = providerZone;
    }

    public Long requiredLong(String path) {
        return required(path) ? optionalLong(path) : null;
    }

    /** An integer, also tolerated as a string of digits. */
    public Long optionalLong(String path) {
        JsonNode node = find(path);
        if (isAbsent(node)) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isTextual() && DIGITS.matcher(node.textValue()).matches()) {
            return Long.parseLong(node.textValue());
        }
        return error(path, "The %s must be an integer.");
    }

    public String requiredString(String path) {
        return required(path) ? optionalString(path) : null;
    }

    public String optionalString(String path) {
        JsonNode node = find(path);
        if (isAbsent(node)) {
            return null;
        }
        return node.isTextual() ? node.textValue() : error(path, "The %s must be a string.");
    }

    public String requiredText(String path) {
        return required(path) ? optionalText(path) : null;
    }

    /**
     * A string that the provider's documentation types loosely (an MCC, last four digits, a 3DS code): also taken as
     * a JSON integer, whose text is its digits. JSON integers have no leading zeros, so {@code 0042} sent as a number
     * can only arrive as {@code 42}: kept as received, it cannot be recovered.
     */
    public String optionalText(String path) {
        JsonNode node = find(path);
        if (isAbsent(node)) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.asText();
        }
        return node.isTextual() ? node.textValue() : error(path, "The %s must be a string.");
    }

    /**
     * A decimal amount: documented as a string ("100.00"), tolerated as a JSON number. Never a float. As a string it
     * has the same bound as a number in the body ({@link StorableJson}), so the {@code numeric} column always takes it.
     */
    public BigDecimal requiredDecimal(String path) {
        if (!required(path)) {
            return null;
        }
        JsonNode node = find(path);
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual() && DECIMAL.matcher(node.textValue().trim()).matches()) {
            BigDecimal value = new BigDecimal(node.textValue().trim());
            if ((long) value.precision() - value.scale() > StorableJson.MAX_DIGITS
                    || value.scale() > StorableJson.MAX_DIGITS) {
                return error(
                        path,
                        "The %s must not have more than " + StorableJson.MAX_DIGITS
                                + " digits before or after the decimal point.");
            }
            return value;
        }
        return error(path, "The %s must be a number.");
    }

    /** {@code true}/{@code false}, as PHP may also send them: {@code 1}/{@code 0} or the strings of either form. */
    public Boolean optionalBoolean(String path) {
        JsonNode node = find(path);
        if (isAbsent(node)) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        String text = node.isIntegralNumber() || node.isTextual() ? node.asText() : "";
        return switch (text) {
            case "1", "true" -> Boolean.TRUE;
            case "0", "false" -> Boolean.FALSE;
            default -> error(path, "The %s field must be true or false.");
        };
    }

    public ProviderDate requiredDate(String path) {
        return required(path) ? optionalDate(path) : null;
    }

    public ProviderDate optionalDate(String path) {
        String text = optionalString(path);
        if (text == null) {
            return null;
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(text, PROVIDER_DATE);
        } catch (DateTimeParseException e) {
            return error(path, "The %s does not match the format Y-m-d H:i:s.");
        }
        ProviderDate date = new ProviderDate(text, local.atZone(providerZone).toInstant());
        int year = local.getYear();
        int utcYear = date.instant().atOffset(ZoneOffset.UTC).getYear();
        if (year < FIRST_YEAR || utcYear < FIRST_YEAR || utcYear > LAST_YEAR) {
            return error(path, "The %s must be a date between 0001-01-01 and 9999-12-31.");
        }
        return date;
    }

    /** Checks that a field, if present, is an object (so its children can be read). */
    public void optionalObject(String path) {
        JsonNode node = find(path);
        if (!isAbsent(node) && !node.isObject()) {
            error(path, "The %s must be an object.");
        }
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Throws a 422 listing every field error, if there is any. */
    public void throwIfInvalid() {
        if (hasErrors()) {
            throw InvalidWebhookException.fields(errors);
        }
    }

    public void addError(String path, String messageFormat) {
        error(path, messageFormat);
    }

    private boolean required(String path) {
        if (isAbsent(find(path))) {
            error(path, "The %s field is required.");
            return false;
        }
        return true;
    }

    private JsonNode find(String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(part);
        }
        return node;
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private <T> T error(String path, String messageFormat) {
        errors.computeIfAbsent(path, p -> new ArrayList<>()).add(messageFormat.formatted(path.replace('_', ' ')));
        return null;
    }
}
