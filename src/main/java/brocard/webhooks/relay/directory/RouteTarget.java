package brocard.webhooks.relay.directory;

/**
 * An enabled route, ready to deliver to: what a channel needs and nothing more.
 *
 * @param secret the webhook signing secret in clear ({@code whsec_…}), or null
 */
public record RouteTarget(
        long routeId, long recipientId, String displayName, Channel channel, String target, String secret) {

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "RouteTarget[" + routeId + " " + channel.wireName() + " of recipient " + recipientId + "]";
    }
}
