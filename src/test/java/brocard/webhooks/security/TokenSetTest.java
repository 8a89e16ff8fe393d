package brocard.webhooks.security;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenSetTest {

    @Test
    void matchesAnyConfiguredTokenExactly() {
        TokenSet tokens = new TokenSet(List.of(" first-token ", "second-token", ""));
        assertTrue(tokens.matches("first-token"), "configured values are trimmed");
        assertTrue(tokens.matches("second-token"));
        assertFalse(tokens.matches("second-toke"));
        assertFalse(tokens.matches("second-token2"));
        assertFalse(tokens.matches(""), "an empty candidate never matches, even with an empty entry configured");
        assertFalse(tokens.matches(null));
    }

    @Test
    void emptyWhenOnlyBlankTokensAreConfigured() {
        assertTrue(new TokenSet(List.of(" ", "")).isEmpty());
    }
}
