package brocard.webhooks.json;

import brocard.webhooks.inbound.InvalidWebhookException;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a parsed body may hold and still be stored as {@code jsonb} and {@code text} and published: one walk over the
 * whole tree (values and field names, at any depth), answering a field path and a message for each value that would
 * otherwise fail in PostgreSQL, inflate on the way out, or be altered silently. Run before dispatch and validation,
 * so such a body is refused with a precise 422 instead of by the database (the writer's isolation of a failing
 * batch stays as the safety net), and by the quarantine, whose preview must never fail on content.
 * <ul>
 *   <li>A NUL character (U+0000, sent as an escape): neither {@code text} nor {@code jsonb} can hold it.</li>
 *   <li>An unpaired UTF-16 surrogate (such as an escaped U+D800 alone): not Unicode; it would reach the database as
 *       {@code ?}.</li>
 *   <li>A number with more than {@value #MAX_DIGITS} digits before or after the decimal point: {@code numeric}
 *       ends at 131072 and 16383, and Jackson already refuses longer numbers as written.</li>
 *   <li>Exponents that together add more than {@value #MAX_EXPANSION} characters: PostgreSQL stores and prints
 *       {@code 1e999} as a 1000-digit number, so a 64K body of them would become megabytes in every copy and a Kafka
 *       record too large to publish, blocking its key in the outbox.</li>
 * </ul>
 */
public final class StorableJson {

    public static final int MAX_DIGITS = 1000;
    static final int MAX_EXPANSION = 65_536;
    /** Enough to show what is wrong; a body of ten thousand NULs does not need ten thousand messages. */
    private static final int MAX_PROBLEMS = 20;

    private static final int MAX_NAME_SHOWN = 64;

    private final Map<String, List<String>> problems = new LinkedHashMap<>();
    private long expansion;
    private boolean expansionReported;

    private StorableJson() {}

    /** The problems of a tree, in Brocard's error format (field path to messages); empty when it can be stored. */
    public static Map<String, List<String>> problems(JsonNode root) {
        StorableJson walk = new StorableJson();
        walk.visit(root, "");
        return walk.problems;
    }

    /** Throws a 422 naming every field that cannot be stored, if there is any. */
    public static void requireStorable(JsonNode root) {
        Map<String, List<String>> found = problems(root);
        if (!found.isEmpty()) {
            throw InvalidWebhookException.fields(found);
        }
    }

    private void visit(JsonNode node, String path) {
        if (problems.size() >= MAX_PROBLEMS) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String child = join(path, field.getKey());
                checkText(field.getKey(), child, "The name of the %s field");
                visit(field.getValue(), child);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                visit(node.get(i), join(path, Integer.toString(i)));
            }
        } else if (node.isTextual()) {
            checkText(node.textValue(), path, "The %s");
        } else if (node.isNumber()) {
            checkNumber(node, path);
        }
    }

    private void checkText(String text, String path, String subject) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                add(path, subject + " must not contain a NUL character.");
                return;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                add(path, subject + " must be valid Unicode (it contains an unpaired surrogate).");
                return;
            }
        }
    }

    private void checkNumber(JsonNode node, String path) {
        if (!node.isBigDecimal()) {
            return; // integers as written: Jackson bounds their length, and they print as written
        }
        BigDecimal value = node.decimalValue();
        long integerDigits = (long) value.precision() - value.scale();
        if (integerDigits > MAX_DIGITS || value.scale() > MAX_DIGITS) {
            add(path, "The %s must not have more than " + MAX_DIGITS + " digits before or after the decimal point.");
            return;
        }
        expansion += Math.max(0, plainLength(value) - value.toString().length());
        if (expansion > MAX_EXPANSION && !expansionReported) {
            expansionReported = true;
            add(path, "The %s and the numbers before it are too long when written without exponents.");
        }
    }

    /** The length of {@link BigDecimal#toPlainString()}, without building a string of up to 2000 characters. */
    private static long plainLength(BigDecimal value) {
        int precision = value.precision();
        int scale = value.scale();
        long digits = scale <= 0 ? (long) precision - scale : scale >= precision ? scale + 2L : precision + 1L;
        return digits + (value.signum() < 0 ? 1 : 0);
    }

    private void add(String path, String messageFormat) {
        String shown = path.isEmpty() ? "body" : path;
        problems.computeIfAbsent(shown, p -> new ArrayList<>()).add(messageFormat.formatted(shown.replace('_', ' ')));
    }

    /**
     * A dotted path as in Brocard's errors ({@code fees.0.amount}). Field names come from the sender: control
     * characters, NULs and lone surrogates are escaped and long names cut, so a path is safe to store as jsonb, to
     * answer and to log on one line.
     */
    private static String join(String parent, String name) {
        StringBuilder shown = new StringBuilder(parent.length() + Math.min(name.length(), MAX_NAME_SHOWN) + 8);
        if (!parent.isEmpty()) {
            shown.append(parent).append('.');
        }
        int end = Math.min(name.length(), MAX_NAME_SHOWN);
        for (int i = 0; i < end; i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                shown.append("\\u%04x".formatted((int) c));
            } else {
                shown.append(c);
            }
        }
        if (end < name.length()) {
            shown.append('…');
        }
        return shown.toString();
    }
}
