package brocard.webhooks.inbound;

/**
 * A request as it arrived, before anything is interpreted: what quarantine keeps when the body is refused.
 *
 * @param endpoint      which URL it was posted to
 * @param body          the bytes, unparsed
 * @param contentType   the Content-Type header, or null
 * @param remoteAddress the client address (from X-Forwarded-For behind the ingress)
 * @param userAgent     the User-Agent header, or null
 */
public record RawWebhook(Endpoint endpoint, byte[] body, String contentType, String remoteAddress, String userAgent) {}
