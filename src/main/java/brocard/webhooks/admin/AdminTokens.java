package brocard.webhooks.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The operator tokens of {@code brocard.admin.tokens} (env {@code BROCARD_ADMIN_TOKENS}), each with a name that the
 * audit log records and a scope. An entry is {@code NAME:SCOPE:TOKEN} ({@code ops-alice:write:…},
 * {@code dashboards:read:…}) or, as before named tokens existed, a bare {@code TOKEN}, which gets scope {@code write}
 * and the name {@code unnamed-} followed by 8 hex digits of the token's SHA-256 (stable, and useless for guessing a
 * random token).
 *
 * <p>A candidate is compared with every token as SHA-256 digests (like the webhook {@code TokenSet}), so neither the
 * content nor the length of a token leaks through timing. A malformed entry stops the start with a message that
 * names its position, never its content.
 */
final class AdminTokens {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    /** An operator, as recognised by its token. */
    record Operator(String name, AdminScope scope) {}

    private record Entry(Operator operator, byte[] digest) {}

    private final List<Entry> entries;

    AdminTokens(List<String> configured) {
        List<Entry> parsed = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < configured.size(); i++) {
            String entry = configured.get(i).trim();
            if (entry.isEmpty()) {
                continue;
            }
            Entry e = parse(entry, i + 1);
            if (!names.add(e.operator().name())) {
                throw new IllegalArgumentException(
                        "brocard.admin.tokens: the name " + e.operator().name() + " is given twice (entry " + (i + 1)
                                + "); every operator token needs a name of its own");
            }
            parsed.add(e);
        }
        this.entries = List.copyOf(parsed);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The operator whose token this is; every configured token is compared every time. */
    Optional<Operator> match(String candidate) {
        if (candidate == null || candidate.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = sha256(candidate);
        Operator found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), digest)) {
                found = entry.operator();
            }
        }
        return Optional.ofNullable(found);
    }

    private static Entry parse(String entry, int position) {
        String[] parts = entry.split(":", 3);
        if (parts.length < 3) {
            // A bare token (the format before named tokens): full rights, as it had.
            byte[] digest = sha256(entry);
            String name = "unnamed-" + HexFormat.of().formatHex(digest, 0, 4);
            return new Entry(new Operator(name, AdminScope.WRITE), digest);
        }
        String name = parts[0].trim();
        String scope = parts[1].trim().toUpperCase(Locale.ROOT);
        String token = parts[2].trim();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("brocard.admin.tokens entry " + position
                    + ": the name must be 1 to 64 letters, digits or . _ @ - (format NAME:read|write:TOKEN)");
        }
        if (!scope.equals("READ") && !scope.equals("WRITE")) {
            throw new IllegalArgumentException("brocard.admin.tokens entry " + position + " (" + name
                    + "): the scope must be read or write (format NAME:read|write:TOKEN)");
        }
        if (token.isEmpty()) {
            throw new IllegalArgumentException("brocard.admin.tokens entry " + position + " (" + name
                    + ") has no token (format NAME:read|write:TOKEN)");
        }
        return new Entry(new Operator(name, AdminScope.valueOf(scope)), sha256(token));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
