package brocard.webhooks.relay.directory;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a code can be delivered. */
public enum Channel {
    /** Telegram Bot API sendMessage; target = numeric chat id. */
    @JsonProperty("telegram")
    TELEGRAM,
    /** Signed (Standard Webhooks) HTTPS POST; target = URL, needs a {@code whsec_} secret. */
    @JsonProperty("webhook")
    WEBHOOK,
    /** Slack incoming webhook; target = its URL. */
    @JsonProperty("slack")
    SLACK,
    /** E-mail over SMTP; target = address. */
    @JsonProperty("email")
    EMAIL;

    /** Name used in the database, metrics and logs. */
    public String wireName() {
        return name().toLowerCase();
    }
}
