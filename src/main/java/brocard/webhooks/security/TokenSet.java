package brocard.webhooks.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.List;

/**
 * A set of accepted secrets, matched in constant time. Candidates and tokens are compared as SHA-256 digests, so
 * neither the content nor the length of a token leaks through timing, and every token is compared every time.
 */
public final class TokenSet {

    private final List<byte[]> digests;

    public TokenSet(Collection<String> tokens) {
        this.digests = tokens.stream()
                .map(String::trim)
                .filter(t -> !t.isEmpty())
                .map(TokenSet::sha256)
                .toList();
    }

    public boolean isEmpty() {
        return digests.isEmpty();
    }

    public boolean matches(String candidate) {
        if (candidate == null || candidate.isEmpty()) {
            return false;
        }
        byte[] digest = sha256(candidate);
        boolean match = false;
        for (byte[] token : digests) {
            match |= MessageDigest.isEqual(token, digest);
        }
        return match;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
