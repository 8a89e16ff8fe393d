package brocard.webhooks.security;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The top-level body fields that are secrets: a 3DS webhook's {@code code} and {@code password}. Removed from 3DS
 * bodies and from every body whose type cannot be trusted to lack them (unrecognized types, quarantine previews,
 * dedup conflicts). Payment and refund bodies are validated as such and stored whole. (Nested {@code code} fields,
 * such as {@code merchant.country.code}, are not secrets.)
 */
public final class SecretFields {

    public static final List<String> NAMES = List.of("code", "password");

    private SecretFields() {}

    /** A copy of the body without its secret fields. */
    public static ObjectNode withoutSecrets(ObjectNode body) {
        ObjectNode copy = body.deepCopy();
        copy.remove(NAMES);
        return copy;
    }
}
