package brocard.webhooks.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Random hostile webhook requests, all from one seeded {@link Random} so that a failing run can be replayed: a
 * documented sample body (fresh ids) with a few mutations, posted to one of the four webhook URLs, sometimes with an
 * odd Content-Type or Accept. Mutations are what a careless or hostile sender can do: fields removed, retyped,
 * oversized; NULs and lone surrogates in values and names; deep nesting; numbers beyond any range; odd dates;
 * duplicate keys; and plain garbage. Bodies stay under the 64K limit, so every answer is the service's own.
 */
public final class HostileRequests {

    /** One request and, for the failure message, what was done to it. */
    public record Request(String path, String contentType, String accept, byte[] body, String description) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SAMPLES = List.of(
            "payment-current",
            "payment-previous",
            "refund-current",
            "refund-previous",
            "otp-example",
            "otp-card-object");
    private static final List<String> PATHS = List.of("", "/payments", "/refunds", "/3ds");
    private static final List<String> RAW_NUMBERS = List.of(
            "1e200000",
            "-1E+1000",
            "1e-1001",
            "1e9999999999",
            "1".repeat(1001),
            "1e999",
            "-0",
            "1E+2147483647",
            "123456789012345678901234567890",
            "0.000",
            "1.5e-7",
            "9223372036854775808",
            "-9223372036854775809");
    private static final List<String> ODD_DATES = List.of(
            "+10000-01-01 00:00:00",
            "10000-01-01 00:00:00",
            "0000-01-01 00:00:00",
            "0001-01-01 00:00:00",
            "9999-12-31 23:59:59",
            "2022-02-30 00:00:00",
            "2022-06-19 24:00:00",
            "2022-06-19T05:48:01Z",
            "",
            " 2022-06-19 05:48:01",
            "19/06/2022");
    private static final List<String> CONTENT_TYPES = List.of(
            "text/plain",
            "garbage",
            "application/vnd.brocard+json",
            "application/json; charset=utf-8",
            "application/json;;;=",
            "application/xml");
    private static final List<String> ACCEPTS = List.of(
            "text/html", "text/plain", "application/xml", "image/png", "*/*;q=0", "nonsense", "application/json");

    private static final int MAX_BODY = 60 * 1024;

    private final Random random;
    private final List<String> raw = new ArrayList<>();

    public HostileRequests(Random random) {
        this.random = random;
    }

    public Request next() {
        Request request;
        do {
            request = build();
        } while (request.body().length > MAX_BODY); // over the limit is a bare 413 from the HTTP layer, not ours
        return request;
    }

    private Request build() {
        raw.clear();
        String sample = pick(SAMPLES);
        ObjectNode body = Samples.fresh(sample);
        StringBuilder description = new StringBuilder(sample);
        int mutations = random.nextInt(4); // 0: the sample as documented, which must be accepted
        for (int i = 0; i < mutations; i++) {
            description.append("; ").append(mutate(body));
        }
        String text = withRawTokens(write(body));
        if (random.nextInt(12) == 0) {
            String garbage = garbage(text);
            description.append("; garbage ").append(garbage.length() > 40 ? garbage.substring(0, 40) + "…" : garbage);
            text = garbage;
        } else if (random.nextInt(15) == 0 && text.startsWith("{\"")) {
            text = "{\"id\":1," + text.substring(1); // every sample has an id: now it has two
            description.append("; duplicate key id");
        }
        String path = random.nextInt(3) == 0 ? pick(PATHS) : pathFor(sample);
        String contentType = random.nextInt(10) == 0 ? pick(CONTENT_TYPES) : "application/json";
        String accept = random.nextInt(5) == 0 ? pick(ACCEPTS) : null;
        description
                .append(" → POST /webhooks/brocard")
                .append(path)
                .append(" as ")
                .append(contentType)
                .append(accept == null ? "" : ", Accept " + accept);
        return new Request(path, contentType, accept, text.getBytes(StandardCharsets.UTF_8), description.toString());
    }

    private String mutate(ObjectNode body) {
        List<Location> locations = new ArrayList<>();
        collect(body, locations);
        Location at = locations.get(random.nextInt(locations.size()));
        return switch (random.nextInt(12)) {
            case 0 -> at.remove();
            case 1 -> at.set(scalar(), "retype");
            case 2 -> at.set(JSON.getNodeFactory().textNode(oversized()), "oversize");
            case 3 -> at.set(JSON.getNodeFactory().textNode("a\0b"), "NUL in value");
            case 4 -> at.rename("na\0me");
            case 5 -> at.set(rawToken("\"x\\ud800y\""), "lone surrogate");
            case 6 -> at.set(rawToken(nested(pick(List.of(5, 500, 999, 1000, 1001, 3000)))), "nest");
            case 7 -> at.set(rawToken(pick(RAW_NUMBERS)), "number");
            case 8 -> setIn(
                    body,
                    pick(List.of("date", "date_received", "date_final_state")),
                    JSON.getNodeFactory().textNode(pick(ODD_DATES)),
                    "odd date");
            case 9 -> setIn(
                    body,
                    pick(List.of("is_micro", "code", "password", "card_last_four")),
                    pick(List.of(
                            JSON.getNodeFactory().numberNode(1),
                            JSON.getNodeFactory().numberNode(0),
                            JSON.getNodeFactory().textNode("1"),
                            JSON.getNodeFactory().textNode("false"),
                            JSON.getNodeFactory().numberNode(123456))),
                    "loose form");
            case 10 -> setIn(
                    body,
                    "webhook_type",
                    pick(List.of(
                            JSON.getNodeFactory().textNode("payment"),
                            JSON.getNodeFactory().textNode("refund"),
                            JSON.getNodeFactory().textNode("otp_code"),
                            JSON.getNodeFactory().textNode("brand_new_" + random.nextInt(5)),
                            JSON.getNodeFactory().numberNode(7),
                            JSON.getNodeFactory().nullNode())),
                    "webhook_type");
            default -> setIn(
                    body,
                    "id",
                    pick(List.of(
                            JSON.getNodeFactory().textNode("0042"),
                            JSON.getNodeFactory().textNode(Long.toString(Samples.nextId())),
                            JSON.getNodeFactory().numberNode(-1),
                            JSON.getNodeFactory().numberNode(1.5),
                            JSON.getNodeFactory().textNode("abc"))),
                    "id");
        };
    }

    private JsonNode scalar() {
        List<Supplier<JsonNode>> kinds = List.of(
                () -> JSON.getNodeFactory().textNode(Integer.toString(random.nextInt(10_000))),
                () -> JSON.getNodeFactory().numberNode(random.nextLong()),
                () -> JSON.getNodeFactory().numberNode(new java.math.BigDecimal("12.50")),
                () -> JSON.getNodeFactory().booleanNode(random.nextBoolean()),
                JSON.getNodeFactory()::nullNode,
                JSON.getNodeFactory()::objectNode,
                JSON.getNodeFactory()::arrayNode,
                () -> JSON.getNodeFactory().textNode(""));
        return pick(kinds).get();
    }

    private String oversized() {
        String unit = pick(List.of("x", "é", "😀", "\\", "\"", "\n", "0"));
        return unit.repeat(1 + random.nextInt(12_000));
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private String garbage(String body) {
        return switch (random.nextInt(8)) {
            case 0 -> "";
            case 1 -> body.substring(0, random.nextInt(Math.max(1, body.length())));
            case 2 -> "null";
            case 3 -> "[" + body + "]";
            case 4 -> body + " trailing";
            case 5 -> "\uFEFF" + body;
            case 6 -> "\"just a string\"";
            default -> {
                StringBuilder noise = new StringBuilder();
                for (int i = random.nextInt(200); i > 0; i--) {
                    noise.append((char) (random.nextInt(0x2FF) + 1));
                }
                yield noise.toString();
            }
        };
    }

    /** A placeholder string in the tree, replaced by raw JSON text after writing (what a tree cannot hold). */
    private JsonNode rawToken(String json) {
        raw.add(json);
        return JSON.getNodeFactory().textNode("@@raw" + (raw.size() - 1) + "@@");
    }

    private String withRawTokens(String text) {
        for (int i = 0; i < raw.size(); i++) {
            text = text.replace("\"@@raw" + i + "@@\"", raw.get(i));
        }
        return text;
    }

    private String setIn(ObjectNode body, String field, JsonNode value, String what) {
        body.set(field, value);
        return what + " " + field + "=" + (value.toString().length() > 30 ? "…" : value);
    }

    private static String pathFor(String sample) {
        return sample.startsWith("payment") ? "/payments" : sample.startsWith("refund") ? "/refunds" : "/3ds";
    }

    private <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private static String write(JsonNode body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void collect(ContainerNode<?> node, List<Location> into) {
        if (node instanceof ObjectNode object) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                into.add(new Location(object, name, -1));
                if (object.get(name) instanceof ContainerNode<?> child) {
                    collect(child, into);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                into.add(new Location(array, null, i));
                if (array.get(i) instanceof ContainerNode<?> child) {
                    collect(child, into);
                }
            }
        }
    }

    /** A field of an object or an element of an array. */
    private record Location(ContainerNode<?> parent, String name, int index) {

        String remove() {
            if (parent instanceof ObjectNode object) {
                object.remove(name);
            } else {
                ((ArrayNode) parent).remove(index);
            }
            return "remove " + this;
        }

        String set(JsonNode value, String what) {
            if (parent instanceof ObjectNode object) {
                object.set(name, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
            return what + " " + this;
        }

        String rename(String newName) {
            if (parent instanceof ObjectNode object) {
                object.set(newName, object.remove(name));
                return "NUL in name of " + this;
            }
            return set(JSON.getNodeFactory().textNode(newName), "NUL in element");
        }

        @Override
        public String toString() {
            return name != null ? name : "[" + index + "]";
        }
    }
}
