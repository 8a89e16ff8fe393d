package brocard.webhooks.relay.directory;

import brocard.webhooks.relay.directory.RecipientRequest.RouteRequest;
import brocard.webhooks.security.OtpCipher;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The recipient directory: who gets a cardholder's codes, and how. Requests are validated by the caller. */
@ApplicationScoped
public class RecipientDirectory {

    private final OtpCipher cipher;

    public RecipientDirectory(OtpCipher cipher) {
        this.cipher = cipher;
    }

    /** @return false if the recipient already exists (nothing changed) */
    @Transactional
    public boolean create(RecipientRequest request) {
        if (Recipient.findById(request.recipientId()) != null) {
            return false;
        }
        save(request.recipientId(), request);
        return true;
    }

    /** Creates or replaces the recipient and all its routes. */
    @Transactional
    public RecipientView replace(long recipientId, RecipientRequest request) {
        return RecipientView.of(save(recipientId, request));
    }

    /** Replaces every recipient in the list, all or nothing. */
    @Transactional
    public int importAll(List<RecipientRequest> requests) {
        requests.forEach(request -> save(request.recipientId(), request));
        return requests.size();
    }

    @Transactional
    public boolean delete(long recipientId) {
        return Recipient.deleteById(recipientId);
    }

    @Transactional
    public Optional<RecipientView> find(long recipientId) {
        return Recipient.<Recipient>findByIdOptional(recipientId).map(RecipientView::of);
    }

    @Transactional
    public List<RecipientView> list() {
        return Recipient.<Recipient>listAll(Sort.by("recipientId")).stream().map(RecipientView::of).toList();
    }

    /**
     * The recipient's enabled routes, secrets decrypted, in the operator's order; empty if the recipient is not in
     * the directory (as opposed to a known recipient with no enabled route: an empty list).
     */
    @Transactional
    public Optional<List<RouteTarget>> enabledRoutes(long recipientId) {
        Recipient recipient = Recipient.findById(recipientId);
        if (recipient == null) {
            return Optional.empty();
        }
        return Optional.of(recipient.routes.stream().filter(route -> route.enabled)
                .map(route -> new RouteTarget(route.id, recipientId, recipient.displayName, route.channel,
                        route.target, route.secretEncrypted == null ? null : new String(
                        cipher.decrypt(route.secretEncrypted, secretContext(recipientId)), StandardCharsets.UTF_8)))
                .toList());
    }

    private Recipient save(long recipientId, RecipientRequest request) {
        Recipient recipient = Recipient.findById(recipientId);
        Instant now = Instant.now();
        if (recipient == null) {
            recipient = new Recipient();
            recipient.recipientId = recipientId;
            recipient.createdAt = now;
        }
        recipient.displayName = request.displayName();
        recipient.updatedAt = now;
        // A route that stays (same channel and target) keeps its id: the delivery log and the webhook-id header
        // of a code in flight refer to it.
        Map<String, DeliveryRoute> existing = new HashMap<>();
        recipient.routes.forEach(route -> existing.putIfAbsent(route.channel + " " + route.target, route));
        List<DeliveryRoute> routes = new ArrayList<>();
        for (int i = 0; i < request.routes().size(); i++) {
            RouteRequest wanted = request.routes().get(i);
            DeliveryRoute route = existing.remove(wanted.channel() + " " + wanted.target().trim());
            routes.add(apply(route != null ? route : new DeliveryRoute(), recipient, i, wanted));
        }
        recipient.routes.clear();
        recipient.routes.addAll(routes);
        // Flushed so that new routes have their ids before the recipient is shown.
        recipient.persistAndFlush();
        return recipient;
    }

    private DeliveryRoute apply(DeliveryRoute route, Recipient recipient, int position, RouteRequest request) {
        route.recipient = recipient;
        route.position = position;
        route.channel = request.channel();
        route.target = request.target().trim();
        route.enabled = request.enabled() == null || request.enabled();
        route.label = request.label();
        route.secretEncrypted = request.secret() == null ? null
                : cipher.encrypt(request.secret().getBytes(StandardCharsets.UTF_8), secretContext(recipient.recipientId));
        return route;
    }

    private static String secretContext(long recipientId) {
        return "brocard.relay/route-secret/" + recipientId;
    }
}
