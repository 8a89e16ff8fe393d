package brocard.webhooks.support;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/** The SMTP server (GreenMail) that plays the mail relay; reads what it received. */
public final class Mailbox {

    static volatile GreenMail greenMail;

    private Mailbox() {}

    /** The text bodies of every message received for this address. */
    public static List<String> bodiesFor(String address) {
        return Arrays.stream(greenMail.getReceivedMessages())
                .filter(m -> isFor(m, address))
                .map(Mailbox::body)
                .toList();
    }

    private static boolean isFor(MimeMessage message, String address) {
        try {
            return Arrays.stream(message.getAllRecipients())
                    .anyMatch(a -> a.toString().contains(address));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String body(MimeMessage message) {
        try {
            return message.getContent().toString();
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
