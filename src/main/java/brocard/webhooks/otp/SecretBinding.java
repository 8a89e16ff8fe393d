package brocard.webhooks.otp;

import java.time.Instant;

/**
 * What the encrypted secrets of one event are bound to: its code id, its recipient and its expiry, all three in the
 * AES-GCM associated data. A ciphertext copied into a record with another recipient or a later expiry (a replay on
 * {@code brocard.otp}) then fails to open, instead of sending a code to someone else or after its time.
 *
 * <p>The expiry enters as epoch milliseconds: the ingest side takes them from the {@link Instant} it also writes as
 * {@code normalized.expires_at} (ISO-8601, every digit kept), the relay from parsing that text back, and both give the
 * same number whatever the text's precision.
 */
public record SecretBinding(long otpId, long recipientId, Instant expiresAt) {

    /** Version of the associated-data format; v1 ({@code brocard.otp/<otp id>/<field>}) bound the code id only. */
    public static final String VERSION = "v2";

    /** The associated data of one field, e.g. {@code brocard.otp/v2/987654/123456/1795421400123/code}. */
    public String context(String field) {
        return "brocard.otp/" + VERSION + "/" + otpId + "/" + recipientId + "/" + expiresAt.toEpochMilli() + "/"
                + field;
    }
}
