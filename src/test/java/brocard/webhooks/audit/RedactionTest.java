package brocard.webhooks.audit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the audit log keeps of a URL: enough to tell endpoints apart, never a credential. */
class RedactionTest {

    @Test
    void userInfoQueryValuesAndFragmentsGo() {
        assertEquals(
                "https://***@hooks.example.com:8443/otp?key=***&v=***",
                Redaction.url("https://alice:pw@hooks.example.com:8443/otp?key=abc&v=2#token"));
        assertEquals("https://hooks.example.com/otp?***", Redaction.url("https://hooks.example.com/otp?s3cr3t"));
        assertEquals("https://hooks.example.com/otp", Redaction.url(" https://hooks.example.com/otp "));
    }

    @Test
    void aSlackUrlKeepsOnlyItsHost() {
        assertEquals("https://hooks.slack.com/***", Redaction.hostOnly("https://hooks.slack.com/services/T0/B0/xyz"));
    }

    @Test
    void whatCannotBeTakenApartIsHiddenWhole() {
        assertEquals("***", Redaction.url("not a url with secret"));
        assertEquals("***", Redaction.url("mailto:secret@example.com"));
    }
}
