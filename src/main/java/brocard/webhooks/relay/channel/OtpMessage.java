package brocard.webhooks.relay.channel;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A decrypted 3DS code on its way to a cardholder. Lives in memory only; {@link #toString()} never shows the code or
 * the password.
 *
 * @param password   the 3DS password Brocard sent with the code, or null (it is optional)
 * @param receivedAt when the webhook was received (start of the relay latency)
 * @param expiresAt  after this the code is useless and delivery stops
 * @param codeFingerprint keyed fingerprint of the code ({@code CodeFingerprint}), null without a code: the delivery
 *                   log keys its claims by it, so a re-issued code of the same id is a new delivery
 */
public record OtpMessage(
        long otpId,
        long recipientId,
        String code,
        String password,
        BigDecimal amount,
        String currency,
        String cardLastFour,
        Instant receivedAt,
        Instant expiresAt,
        byte[] codeFingerprint) {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** The text a person reads: the code (and password), amount and currency, card, expiry. */
    public String text() {
        return "3-D Secure code: " + code + "\n"
                + (password == null ? "" : "Password: " + password + "\n")
                + "Amount: " + amount.toPlainString() + " " + currency + "\n"
                + "Card: •••• " + (cardLastFour == null ? "????" : cardLastFour) + "\n"
                + "Expires at " + TIME.format(expiresAt);
    }

    @Override
    public String toString() {
        return "OtpMessage[otp " + otpId + " for recipient " + recipientId + ", code=***"
                + (password == null ? "" : ", password=***") + "]";
    }
}
