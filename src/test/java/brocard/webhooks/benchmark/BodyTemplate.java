package brocard.webhooks.benchmark;

import brocard.webhooks.support.Samples;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/**
 * A sample webhook body serialized once, with a hole for its top-level {@code id}: each request's body is two array
 * copies and a number, so the load generator spends its CPU on HTTP, not on JSON. A template may have several
 * variants (3DS codes for several recipients): request {@code id} takes variant {@code id mod variants}.
 */
final class BodyTemplate {

    private static final long MARKER = 987_654_321_012_345L;
    private static final long TYPICAL_ID = 1_000_000_000L;

    private final byte[][] prefixes;
    private final byte[][] suffixes;

    private BodyTemplate(String... variants) {
        prefixes = new byte[variants.length][];
        suffixes = new byte[variants.length][];
        String hole = "\"id\":" + MARKER;
        for (int i = 0; i < variants.length; i++) {
            String json = variants[i];
            int at = json.indexOf(hole);
            if (at < 0 || json.indexOf(hole, at + 1) >= 0) {
                throw new IllegalStateException("The template needs exactly one top-level id: " + json);
            }
            prefixes[i] = json.substring(0, at + 5).getBytes(StandardCharsets.UTF_8);
            suffixes[i] = json.substring(at + hole.length()).getBytes(StandardCharsets.UTF_8);
        }
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

    /**
     * otp-example.json for {@code recipients} recipients from {@code firstRecipientId} on, in turn (the code is the
     * sample's; the relay dedups on the webhook id).
     */
    static BodyTemplate otp(long firstRecipientId, int recipients) {
        String[] variants = new String[recipients];
        for (int i = 0; i < recipients; i++) {
            ObjectNode body = Samples.load("otp-example");
            body.put("id", MARKER);
            body.put("recipient_id", firstRecipientId + i);
            variants[i] = body.toString();
        }
        return new BodyTemplate(variants);
    }

    byte[] body(long id) {
        int variant = (int) Math.floorMod(id, (long) prefixes.length);
        byte[] prefix = prefixes[variant];
        byte[] suffix = suffixes[variant];
        byte[] digits = Long.toString(id).getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[prefix.length + digits.length + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(digits, 0, body, prefix.length, digits.length);
        System.arraycopy(suffix, 0, body, prefix.length + digits.length, suffix.length);
        return body;
    }

    int size(long id) {
        int variant = (int) Math.floorMod(id, (long) prefixes.length);
        return prefixes[variant].length + Long.toString(id).length() + suffixes[variant].length;
    }
}
