package brocard.webhooks.ingest;

import brocard.webhooks.json.Json;
import brocard.webhooks.security.BodyFingerprint;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/**
 * A body written once in canonical form (sorted keys, no whitespace), and its keyed fingerprint. The same text is
 * what payment and refund rows store and what their events carry, so the tree is serialised once per webhook.
 */
public record CanonicalBody(String text, byte[] fingerprint) {

    public static CanonicalBody of(ObjectNode body, BodyFingerprint fingerprints) {
        String text = Json.write(body);
        return new CanonicalBody(text, fingerprints.ofCanonical(text.getBytes(StandardCharsets.UTF_8)));
    }
}
