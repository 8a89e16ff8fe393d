package brocard.webhooks.benchmark;

import brocard.webhooks.support.Samples;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/**
 * A sample webhook body serialized once, with a hole for its top-level {@code id}: each request's body is two array
 * copies and a number, so the load generator spends its CPU on HTTP, not on JSON.
 */
final class BodyTemplate {

    private static final long MARKER = 987_654_321_012_345L;
    private static final long TYPICAL_ID = 1_000_000_000L;

    private final byte[] prefix;
    private final byte[] suffix;

    private BodyTemplate(String json) {
        String hole = "\"id\":" + MARKER;
        int at = json.indexOf(hole);
        if (at < 0 || json.indexOf(hole, at + 1) >= 0) {
            throw new IllegalStateException("The template needs exactly one top-level id: " + json);
        }
        prefix = json.substring(0, at + 5).getBytes(StandardCharsets.UTF_8);
        suffix = json.substring(at + hole.length()).getBytes(StandardCharsets.UTF_8);
    }

    /** payment-current.json with {@code merchant.name} padded so that the body is {@code bytes} long. */
    static BodyTemplate payment(int bytes) {
        ObjectNode body = Samples.load("payment-current");
        body.put("id", MARKER);
        ObjectNode merchant = (ObjectNode) body.get("merchant");
        String name = merchant.get("name").asText() + " ";
        merchant.put("name", name);
        int missing = bytes - new BodyTemplate(body.toString()).size(TYPICAL_ID);
        merchant.put("name", name + "x".repeat(Math.max(0, missing)));
        return new BodyTemplate(body.toString());
    }

    /** otp-example.json for this recipient (the code is the sample's; the relay dedups on the webhook id). */
    static BodyTemplate otp(long recipientId) {
        ObjectNode body = Samples.load("otp-example");
        body.put("id", MARKER);
        body.put("recipient_id", recipientId);
        return new BodyTemplate(body.toString());
    }

    byte[] body(long id) {
        byte[] digits = Long.toString(id).getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[prefix.length + digits.length + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(digits, 0, body, prefix.length, digits.length);
        System.arraycopy(suffix, 0, body, prefix.length + digits.length, suffix.length);
        return body;
    }

    int size(long id) {
        return prefix.length + Long.toString(id).length() + suffix.length;
    }
}
