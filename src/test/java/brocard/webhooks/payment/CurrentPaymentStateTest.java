package brocard.webhooks.payment;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The precedence rule itself, and that reducing a batch first gives what applying its events one by one gives. */
class CurrentPaymentStateTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private long arrival;

    @Test
    void aFinalStateIsNeverReplacedByPendingOrByAnUnknownState() {
        CurrentPaymentState settled = state(1, 5);
        assertFalse(settled.isReplacedBy(state(3, null)));
        assertFalse(settled.isReplacedBy(state(7, null)));
        assertTrue(state(3, null).isReplacedBy(state(7, null)), "an unknown state replaces Pending");
        assertFalse(state(7, null).isReplacedBy(state(3, null)), "Pending does not replace an unknown state");
        assertTrue(state(7, null).isReplacedBy(state(4, 1)), "a final state replaces an unknown one");
    }

    @Test
    void betweenFinalStatesTheLaterDateFinalStateWinsWhateverTheArrivalOrder() {
        assertFalse(state(4, 10).isReplacedBy(state(1, 5)), "an earlier final state arriving late");
        assertTrue(state(1, 5).isReplacedBy(state(4, 10)));
        assertTrue(state(1, 5).isReplacedBy(state(2, 5)), "same time: the later arrival");
    }

    @Test
    void aFinalStateWithoutItsDateCountsAtItsReceipt() {
        CurrentPaymentState receivedAt20 =
                new CurrentPaymentState(1, 1, BigDecimal.ONE, "USD", UUID.randomUUID(), T0.plusSeconds(20), null);
        assertTrue(state(4, 10).isReplacedBy(receivedAt20));
        assertFalse(receivedAt20.isReplacedBy(state(4, 10)));
    }

    @Test
    void reducingABatchFirstEqualsApplyingEveryEventInArrivalOrder() {
        Random random = new Random(42);
        long[] values = {1, 2, 3, 4, 9};
        for (int run = 0; run < 2000; run++) {
            List<CurrentPaymentState> events = new ArrayList<>();
            int count = 1 + random.nextInt(6);
            for (int i = 0; i < count; i++) {
                events.add(state(
                        values[random.nextInt(values.length)], random.nextInt(3) == 0 ? null : random.nextInt(4)));
            }
            int split = random.nextInt(count + 1);
            CurrentPaymentState stored = fold(null, events.subList(0, split));
            CurrentPaymentState batch = fold(null, events.subList(split, count));
            CurrentPaymentState oneByOne = fold(null, events);
            CurrentPaymentState batched = batch == null ? stored : fold(stored, List.of(batch));
            assertEquals(oneByOne, batched, "events " + events + " split at " + split);
        }
    }

    private static CurrentPaymentState fold(CurrentPaymentState start, List<CurrentPaymentState> events) {
        CurrentPaymentState current = start;
        for (CurrentPaymentState next : events) {
            current = current == null || current.isReplacedBy(next) ? next : current;
        }
        return current;
    }

    /** A state received one second after the previous one, with date_final_state at T0 + seconds (or none). */
    private CurrentPaymentState state(long value, Integer dateFinalStateSeconds) {
        arrival++;
        return new CurrentPaymentState(
                1,
                value,
                BigDecimal.ONE,
                "USD",
                UUID.randomUUID(),
                T0.plusSeconds(arrival),
                dateFinalStateSeconds == null ? null : T0.plusSeconds(dateFinalStateSeconds));
    }
}
