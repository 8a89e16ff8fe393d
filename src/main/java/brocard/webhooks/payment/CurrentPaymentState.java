package brocard.webhooks.payment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * The state a payment is in, as far as its events tell, and the one rule that decides which event sets it. Arrival
 * order alone is wrong: Brocard retries, so an earlier state can arrive after a later one.
 * <ol>
 *     <li>A known final state (Settled, Void, Declined) is never replaced by Pending or by an unknown state; an
 *     unknown state replaces only Pending or another unknown state ({@link PaymentState#precedence()}).</li>
 *     <li>Between two final states, the one with the later {@code date_final_state} wins. A final state without that
 *     date (the older API version does not send it) counts at the time we received it.</li>
 *     <li>Otherwise (same rank, same time) the later arrival wins.</li>
 * </ol>
 * The rule is "the greatest by (precedence, final-state time), the last of equals", so reducing the events of a batch
 * first and then comparing the result with the stored row gives the same as applying them one by one. The V7
 * migration recomputed the stored rows with the same rule in SQL.
 *
 * @param receivedAt        when we received the event that set the state (stored as {@code payment.updated_at})
 * @param dateFinalStateAt  Brocard's {@code date_final_state} of that event, or null
 */
public record CurrentPaymentState(
        long paymentId,
        long stateValue,
        BigDecimal amount,
        String currency,
        UUID eventId,
        Instant receivedAt,
        Instant dateFinalStateAt) {

    public static CurrentPaymentState of(PaymentWebhook payment, UUID eventId, Instant receivedAt) {
        Instant dateFinalState = payment.dateFinalState() == null
                ? null
                : payment.dateFinalState().instant();
        return new CurrentPaymentState(
                payment.id(),
                payment.stateValue(),
                payment.amount(),
                payment.currency(),
                eventId,
                receivedAt,
                dateFinalState);
    }

    public PaymentState state() {
        return PaymentState.of(stateValue);
    }

    /** Whether {@code next}, arriving after the event that set this state, becomes the current state instead. */
    public boolean isReplacedBy(CurrentPaymentState next) {
        int precedence = Integer.compare(next.state().precedence(), state().precedence());
        if (precedence != 0) {
            return precedence > 0;
        }
        if (state().isFinal()) {
            return !next.finalStateAt().isBefore(finalStateAt());
        }
        return true;
    }

    /** When the final state was reached: Brocard's {@code date_final_state}, else our receipt of it. */
    private Instant finalStateAt() {
        return dateFinalStateAt != null ? dateFinalStateAt : receivedAt;
    }
}
