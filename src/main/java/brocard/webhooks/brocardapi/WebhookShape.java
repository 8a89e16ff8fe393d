package brocard.webhooks.brocardapi;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A payment or refund as the REST API shows it, in the shape of the webhook Brocard would have sent: the same
 * fields, plus the {@code webhook_type} the API does not carry. What REST leaves out ({@code user.uuid}) stays out,
 * as it does in the previous version's webhooks; the kinds' validation already takes both. Dates stay as the API
 * wrote them, at the account's time zone like a webhook's, because lists are asked without {@code tz}.
 */
public final class WebhookShape {

    private WebhookShape() {}

    /** @param webhookType {@code payment} or {@code refund} */
    public static ObjectNode of(String webhookType, ObjectNode apiItem) {
        ObjectNode body = apiItem.deepCopy();
        body.remove("request_id");
        body.put("webhook_type", webhookType);
        return body;
    }
}
