package brocard.webhooks.otp;

import java.math.BigDecimal;

/**
 * A 3-D Secure code webhook. {@code code} and {@code password} are secrets: they leave this record only encrypted.
 * The card is sent either as {@code card_last_four} (the documented example) or as a {@code card} object (the
 * documented parameter list); both are read.
 *
 * @param codeFingerprint the code's keyed fingerprint ({@link CodeFingerprint}): what tells a re-issued code of this
 *                        id from a replay of the same code
 */
public record OtpWebhook(
        long id,
        long recipientId,
        BigDecimal amount,
        String currency,
        Long cardId,
        String cardLastFour,
        String code,
        String password,
        byte[] codeFingerprint) {

    /** Without a code fingerprint (where only the encrypted form of the code is wanted). */
    public OtpWebhook(
            long id,
            long recipientId,
            BigDecimal amount,
            String currency,
            Long cardId,
            String cardLastFour,
            String code,
            String password) {
        this(id, recipientId, amount, currency, cardId, cardLastFour, code, password, null);
    }

    /** Never prints the secrets. */
    @Override
    public String toString() {
        return "OtpWebhook[id=" + id + ", recipientId=" + recipientId + ", code=***, password=***]";
    }
}
