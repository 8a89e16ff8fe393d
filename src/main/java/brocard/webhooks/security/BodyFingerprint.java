package brocard.webhooks.security;

import brocard.webhooks.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * Tells an exact replay from a conflicting body with the same dedup key. Keyed (HMAC-SHA256) rather than a plain hash:
 * a 3DS body's only unknown is a six-digit code, and a plain SHA-256 of it could be reversed by trying a million codes.
 */
@ApplicationScoped
public class BodyFingerprint {

    private final SecretKeySpec macKey;

    public BodyFingerprint(Keyring keyring) {
        // Not a purpose key of the current master key: stored fingerprints must stay comparable across rotations.
        this.macKey = new SecretKeySpec(keyring.fingerprintKey(), "HmacSHA256");
    }

    /** Fingerprint of the body's content, independent of key order and whitespace. */
    public byte[] of(JsonNode body) {
        return ofCanonical(Json.canonicalBytes(body));
    }

    /** Fingerprint of a body already written in canonical form ({@link Json#canonicalBytes}). */
    public byte[] ofCanonical(byte[] canonicalBytes) {
        return mac.get().doFinal(canonicalBytes);
    }

    /** Initialised once per thread with this bean's key (getInstance and init are not free on every webhook). */
    private final ThreadLocal<Mac> mac = ThreadLocal.withInitial(this::newMac);

    private Mac newMac() {
        try {
            Mac instance = Mac.getInstance("HmacSHA256");
            instance.init(macKey);
            return instance;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
