package brocard.webhooks.security;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyringTest {

    private static final byte[] OLD = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEW = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);
    private static final String OLD_B64 = Base64.getEncoder().encodeToString(OLD);
    private static final String NEW_B64 = Base64.getEncoder().encodeToString(NEW);

    @Test
    void hkdfMatchesTheFirstBlockOfRfc5869TestCase1() {
        byte[] okm = Hkdf.derive(
                HexFormat.of().parseHex("000102030405060708090a0b0c"),
                HexFormat.of().parseHex("0b".repeat(22)),
                HexFormat.of().parseHex("f0f1f2f3f4f5f6f7f8f9"));
        assertEquals(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf",
                HexFormat.of().formatHex(okm));
    }

    @Test
    void theOldSingleKeyAloneKeepsItsKidAndItsFingerprintKey() {
        Keyring legacy = ring(List.of(), OLD_B64);
        assertEquals(Keyring.legacyIdOf(OLD), legacy.currentKid());
        // What every earlier version keyed fingerprints with: HMAC-SHA256(key, label).
        assertArrayEquals(
                Hkdf.hmac(OLD, "brocard-webhooks/body-fingerprint/v1".getBytes(StandardCharsets.UTF_8)),
                legacy.fingerprintKey());
    }

    @Test
    void aRotationSealsUnderTheFirstKeyOpensUnderEveryKeyAndKeepsFingerprints() {
        Keyring before = ring(List.of("old:" + OLD_B64), null);
        PurposeCipher.Sealed sealedBefore =
                before.cipher(KeyPurpose.ROUTE_SECRETS).seal(bytes("whsec_1"), "ctx");
        Keyring during = ring(List.of("new:" + NEW_B64, "old:" + OLD_B64), null);

        assertEquals("old", sealedBefore.kid());
        assertEquals("new", during.currentKid());
        assertEquals(
                "whsec_1", text(during.cipher(KeyPurpose.ROUTE_SECRETS).open("old", sealedBefore.ciphertext(), "ctx")));
        assertEquals(
                "new",
                during.cipher(KeyPurpose.ROUTE_SECRETS).seal(bytes("x"), "ctx").kid());
        assertArrayEquals(before.fingerprintKey(), during.fingerprintKey(), "the oldest key keys fingerprints");

        // The old key leaves the ring: the fingerprint key is given as a dedicated secret, and is the same.
        String pinned = Base64.getEncoder().encodeToString(before.fingerprintKey());
        Keyring after = new Keyring(List.of("new:" + NEW_B64), Optional.empty(), Optional.of(pinned), Optional.empty());
        assertArrayEquals(before.fingerprintKey(), after.fingerprintKey());
        assertThrows(PurposeCipher.UnknownKeyException.class, () -> after.cipher(KeyPurpose.ROUTE_SECRETS)
                .open("old", sealedBefore.ciphertext(), "ctx"));
    }

    @Test
    void removingTheKeyFingerprintsComeFromWithoutPinningThemIsRefused() {
        IllegalStateException error = assertThrows(
                IllegalStateException.class,
                () -> new Keyring(List.of("new:" + NEW_B64), Optional.empty(), Optional.empty(), Optional.of("old")));
        assertTrue(error.getMessage().contains("BROCARD_FINGERPRINT_KEY"));
    }

    @Test
    void theLegacyKeyNextToTheListStillOpensPreKeyringCiphertexts() {
        byte[] legacyCiphertext = AesGcm.seal(new javax.crypto.spec.SecretKeySpec(OLD, "AES"), bytes("body"), "q/1");
        Keyring ring = ring(List.of("new:" + NEW_B64), OLD_B64);
        assertEquals(List.of("new", Keyring.legacyIdOf(OLD)), ring.kids());
        PurposeCipher quarantine = ring.cipher(KeyPurpose.QUARANTINE);
        assertEquals("body", text(quarantine.openStored(null, legacyCiphertext, "q/1")));
        assertEquals("body", text(quarantine.openLegacy(Keyring.legacyIdOf(OLD), legacyCiphertext, "q/1")));
        assertThrows(
                PurposeCipher.DoesNotOpenException.class, () -> quarantine.openStored(null, legacyCiphertext, "q/2"));
    }

    @Test
    void eachPurposeHasItsOwnKeySoTheEventFieldKeyOpensNothingElse() {
        Keyring ring = ring(List.of("k1:" + OLD_B64), null);
        PurposeCipher.Sealed code = ring.cipher(KeyPurpose.EVENT_FIELDS).seal(bytes("123456"), "otp");
        PurposeCipher.Sealed secret = ring.cipher(KeyPurpose.ROUTE_SECRETS).seal(bytes("whsec"), "route");
        PurposeCipher.Sealed body = ring.cipher(KeyPurpose.QUARANTINE).seal(bytes("{}"), "quarantine");

        // What a consumer team derives from the master key, as docs/events describes, and is given alone.
        PurposeCipher consumer = PurposeCipher.withPurposeKey(
                KeyPurpose.EVENT_FIELDS, "k1", Hkdf.derive(OLD, "brocard-webhooks/event-fields"));

        assertEquals("123456", text(consumer.open("k1", code.ciphertext(), "otp")));
        assertThrows(PurposeCipher.DoesNotOpenException.class, () -> consumer.open("k1", secret.ciphertext(), "route"));
        assertThrows(
                PurposeCipher.DoesNotOpenException.class, () -> consumer.open("k1", body.ciphertext(), "quarantine"));
        assertThrows(
                PurposeCipher.UnknownKeyException.class, () -> consumer.openLegacy(null, secret.ciphertext(), "route"));
        assertNotEquals(
                HexFormat.of().formatHex(Hkdf.derive(OLD, KeyPurpose.EVENT_FIELDS.info())),
                HexFormat.of().formatHex(Hkdf.derive(OLD, KeyPurpose.ROUTE_SECRETS.info())));
    }

    @Test
    void malformedKeyringsStopWithAMessageThatNeverShowsAKey() {
        String shortKey = Base64.getEncoder().encodeToString("too-short-secret".getBytes());
        for (List<String> entries : List.of(
                List.of("k1:" + shortKey),
                List.of("no-colon"),
                List.of("bad kid:" + OLD_B64),
                List.of("a:" + OLD_B64, "a:" + NEW_B64),
                List.of("a:" + OLD_B64, "b:" + OLD_B64),
                List.of("k1:%%% not base64"))) {
            IllegalStateException error =
                    assertThrows(IllegalStateException.class, () -> ring(entries, null), entries.toString());
            assertFalse(
                    error.getMessage().contains(shortKey) || error.getMessage().contains(OLD_B64));
        }
        assertTrue(assertThrows(IllegalStateException.class, () -> ring(List.of(), null))
                .getMessage()
                .contains("BROCARD_KEYS"));
    }

    private static Keyring ring(List<String> entries, String legacy) {
        return new Keyring(entries, Optional.ofNullable(legacy), Optional.empty(), Optional.empty());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
