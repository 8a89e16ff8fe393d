package brocard.webhooks.relay.directory;

import java.time.Instant;
import java.util.List;

/** A recipient as the admin API shows it: route secrets are never returned, only whether one is set. */
public record RecipientView(
        long recipientId, String displayName, List<RouteView> routes, Instant createdAt, Instant updatedAt) {

    public record RouteView(
            long id, Channel channel, String target, boolean enabled, String label, boolean hasSecret) {}

    /** A Slack incoming-webhook URL is itself the credential: only its host is shown. */
    private static String shown(DeliveryRoute route) {
        if (route.channel != Channel.SLACK) {
            return route.target;
        }
        int pathStart = route.target.indexOf('/', route.target.indexOf("//") + 2);
        return pathStart < 0 ? route.target : route.target.substring(0, pathStart) + "/***";
    }

    static RecipientView of(Recipient r) {
        return new RecipientView(
                r.recipientId,
                r.displayName,
                r.routes.stream()
                        .map(route -> new RouteView(
                                route.id,
                                route.channel,
                                shown(route),
                                route.enabled,
                                route.label,
                                route.secretEncrypted != null))
                        .toList(),
                r.createdAt,
                r.updatedAt);
    }
}
