package brocard.webhooks.security;

import brocard.webhooks.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A deployment whose fingerprint key differs from the stored fingerprints' refuses to start instead of drifting. */
@QuarkusTest
class FingerprintKeyCheckTest {

    @Inject
    FingerprintKeyCheck check;

    @Inject
    Rows rows;

    @Test
    void theRecordedKeyPassesAndAnotherOneStopsStartupNamingTheWayOut() {
        assertDoesNotThrow(() -> check.onStart(null));
        byte[] recorded = (byte[]) rows.query("select check_value from key_check where purpose = 'body-fingerprint'")
                .get(0)
                .get("check_value");
        byte[] other = Arrays.copyOf(recorded, recorded.length);
        other[0] ^= 1; // as if the stored fingerprints had been made under another key
        rows.update("update key_check set check_value = ? where purpose = 'body-fingerprint'", other);
        try {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> check.onStart(null));
            assertTrue(refused.getMessage().contains("BROCARD_FINGERPRINT_KEY"), refused.getMessage());
        } finally {
            rows.update("update key_check set check_value = ? where purpose = 'body-fingerprint'", recorded);
        }
    }
}
