package brocard.webhooks.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** The SMTP server of the relay's e-mail channel (env {@code BROCARD_RELAY_SMTP_*}). */
@ConfigMapping(prefix = "brocard.relay.smtp")
public interface SmtpConfig {

    /** How the connection is protected when {@link #tls()} is off. */
    enum StartTls {
        /** Never upgrade: the code crosses the network in clear. Only for a local test server. */
        DISABLED,
        /** Upgrade when the server offers it; a server (or someone in between) that hides the offer gets clear text. */
        OPTIONAL,
        /** Refuse to send unless the connection is upgraded. */
        REQUIRED
    }

    /** SMTP server host. */
    @WithDefault("localhost")
    String host();

    /** 587 (submission with STARTTLS) or 465 (with {@link #tls()}). */
    @WithDefault("587")
    int port();

    /** Sender address. The default is a placeholder that no server delivers: set it where e-mail routes are used. */
    @WithDefault("3ds-codes@brocard-webhooks.invalid")
    String from();

    /** SMTP login (a secret); none: no authentication. */
    Optional<String> username();

    /** SMTP password (a secret). */
    Optional<String> password();

    /** TLS from the first byte (port 465). */
    @WithDefault("false")
    boolean tls();

    /** STARTTLS policy when {@link #tls()} is off. REQUIRED by default: a code never crosses the network in clear. */
    @WithDefault("REQUIRED")
    StartTls startTls();
}
