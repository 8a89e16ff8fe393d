package brocard.webhooks.ingest;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventIdsTest {

    @Test
    void idsAreVersion7WithTheRfcVariantAndTheCurrentTime() {
        long before = System.currentTimeMillis();
        UUID id = EventIds.next();
        long after = System.currentTimeMillis();
        assertEquals(7, id.version());
        assertEquals(2, id.variant());
        long millis = id.getMostSignificantBits() >>> 16;
        assertTrue(millis >= before && millis <= after, "timestamp " + millis);
    }

    @Test
    void idsAreUniqueAndSortByCreationTime() {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertTrue(seen.add(EventIds.next()));
        }
        UUID earlier = EventIds.next();
        long millis = System.currentTimeMillis();
        while (System.currentTimeMillis() <= millis) {
            Thread.onSpinWait(); // into the next millisecond
        }
        UUID later = EventIds.next();
        // As PostgreSQL's uuid type orders them: unsigned, most significant bits first.
        assertTrue(Long.compareUnsigned(earlier.getMostSignificantBits(), later.getMostSignificantBits()) < 0);
    }
}
