package brocard.webhooks.otp;

import java.math.BigDecimal;

/**
 * A 3-D Secure code webhook. {@code code} and {@code password} are secrets: they leave this record only encrypted.
 * The card is sent either as {@code card_last_four} (the documented example) or as a {@code card} object (the
 * documented parameter list); both are read.
 */
public record OtpWebhook(
        long id,
        long recipientId,
        BigDecimal amount,
        String currency,
        Long cardId,
        String cardLastFour,
        String code,
        String password) {

    /** Never prints the secrets. */
    @Override
    public String toString() {
        return "OtpWebhook[id=" + id + ", recipientId=" + recipientId + ", code=***, password=***]";
    }
}
