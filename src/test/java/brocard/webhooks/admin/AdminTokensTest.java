package brocard.webhooks.admin;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing of brocard.admin.tokens: named tokens with a scope, bare tokens as before, and mistakes refused at start. */
class AdminTokensTest {

    @Test
    void namedTokensCarryTheirNameAndScope() {
        AdminTokens tokens = new AdminTokens(List.of("ops-alice:write:tok-a", " dashboards:READ:tok:with:colons "));
        assertEquals(
                new AdminTokens.Operator("ops-alice", AdminScope.WRITE),
                tokens.match("tok-a").orElseThrow());
        assertEquals(
                new AdminTokens.Operator("dashboards", AdminScope.READ),
                tokens.match("tok:with:colons").orElseThrow());
        assertTrue(tokens.match("ops-alice:write:tok-a").isEmpty());
        assertTrue(tokens.match("").isEmpty());
        assertTrue(tokens.match(null).isEmpty());
    }

    @Test
    void aBareTokenIsAWriteTokenWithANameThatDoesNotRevealIt() {
        AdminTokens tokens = new AdminTokens(List.of("legacy-secret-token"));
        AdminTokens.Operator operator = tokens.match("legacy-secret-token").orElseThrow();
        assertEquals(AdminScope.WRITE, operator.scope());
        assertTrue(operator.name().matches("unnamed-[0-9a-f]{8}"), operator.name());
        assertEquals(
                operator.name(),
                new AdminTokens(List.of("x:read:y", "legacy-secret-token"))
                        .match("legacy-secret-token")
                        .orElseThrow()
                        .name(),
                "stable whatever the order");
    }

    @Test
    void mistakesStopTheStartWithoutShowingTheToken() {
        for (List<String> wrong : List.of(
                List.of("alice:admin:s3cr3t-value"),
                List.of("al ice:read:s3cr3t-value"),
                List.of("alice:read: "),
                List.of("a:read:s3cr3t-value", "a:write:s3cr3t-value2"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AdminTokens(wrong));
            assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
            assertTrue(e.getMessage().contains("brocard.admin.tokens"), e.getMessage());
        }
    }

    @Test
    void readScopeAllowsOnlyReading() {
        assertTrue(AdminScope.READ.allows("GET"));
        assertTrue(AdminScope.READ.allows("HEAD"));
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            assertFalse(AdminScope.READ.allows(method), method);
            assertTrue(AdminScope.WRITE.allows(method), method);
        }
    }
}
