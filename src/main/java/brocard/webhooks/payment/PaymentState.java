package brocard.webhooks.payment;

import java.util.Arrays;

/** Brocard's payment states ({@code state.value}). Pending is the only non-final one. */
public enum PaymentState {
    SETTLED(1),
    VOID(2),
    PENDING(3),
    DECLINED(4),
    /** A value Brocard added after this code was written: stored and published, flagged in a metric. */
    UNKNOWN(-1);

    private final int value;

    PaymentState(int value) {
        this.value = value;
    }

    public static PaymentState of(long value) {
        return Arrays.stream(values()).filter(s -> s.value == value).findFirst().orElse(UNKNOWN);
    }

    /** Lower-case name used in event types ({@code brocard.payment.settled}) and payloads. */
    public String eventName() {
        return name().toLowerCase();
    }

    public boolean isFinal() {
        return this == SETTLED || this == VOID || this == DECLINED;
    }

    /**
     * How strongly a state holds as the current state ({@link CurrentPaymentState}): a known final state (2) is never
     * replaced by an unknown one (1), and neither by Pending (0). An unknown state ranks above Pending: Brocard only
     * sends a new state for a change, and what we cannot read may well be final, but it is not known to be.
     */
    int precedence() {
        return isFinal() ? 2 : this == UNKNOWN ? 1 : 0;
    }
}
