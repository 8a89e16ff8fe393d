package brocard.webhooks.security;

import brocard.webhooks.config.OtpConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OtpCipherTest {

    private static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void roundTripsAndNeverRepeatsACiphertext() {
        OtpCipher cipher = new OtpCipher(config(KEY));
        String first = cipher.encryptToBase64("123456", "brocard.otp/1/code");
        String second = cipher.encryptToBase64("123456", "brocard.otp/1/code");
        assertNotEquals(first, second, "a fresh nonce every time");
        assertEquals("123456", cipher.decryptFromBase64(first, "brocard.otp/1/code"));
    }

    @Test
    void aCiphertextOnlyOpensForItsOwnContext() {
        OtpCipher cipher = new OtpCipher(config(KEY));
        String sealed = cipher.encryptToBase64("123456", "brocard.otp/1/code");
        assertThrows(IllegalStateException.class, () -> cipher.decryptFromBase64(sealed, "brocard.otp/2/code"));
    }

    @Test
    void aTamperedCiphertextIsRefused() {
        OtpCipher cipher = new OtpCipher(config(KEY));
        byte[] sealed = cipher.encrypt("123456".getBytes(), "ctx");
        sealed[sealed.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, "ctx"));
    }

    @Test
    void aKeyOfTheWrongSizeStopsWithAMessageThatNamesTheSettingButNotTheKey() {
        String shortKey = Base64.getEncoder().encodeToString("too-short-secret".getBytes());
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> new OtpCipher(config(shortKey)));
        assertTrue(error.getMessage().contains("BROCARD_OTP_ENCRYPTION_KEY"));
        assertTrue(error.getMessage().contains("16 bytes"));
        assertFalse(error.getMessage().contains(shortKey));
        assertThrows(IllegalStateException.class, () -> new OtpCipher(config("%%% not base64")));
    }

    @Test
    void derivedKeysDifferByLabelAndFromTheKeyItself() {
        OtpCipher cipher = new OtpCipher(config(KEY));
        assertNotEquals(Base64.getEncoder().encodeToString(cipher.deriveKey("a")),
                Base64.getEncoder().encodeToString(cipher.deriveKey("b")));
        assertNotEquals(KEY, Base64.getEncoder().encodeToString(cipher.deriveKey("a")));
    }

    private static OtpConfig config(String key) {
        return new OtpConfig() {
            @Override
            public String encryptionKey() {
                return key;
            }

            @Override
            public Duration secretTtl() {
                return Duration.ofMinutes(10);
            }

            @Override
            public Duration purgeInterval() {
                return Duration.ofSeconds(15);
            }
        };
    }
}
