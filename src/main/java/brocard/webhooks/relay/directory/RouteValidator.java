package brocard.webhooks.relay.directory;

import brocard.webhooks.config.RelayConfig;
import brocard.webhooks.relay.directory.RecipientRequest.RouteRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** What Bean Validation cannot say about a route: its target must suit its channel. */
@ApplicationScoped
public class RouteValidator {

    private static final Pattern CHAT_ID = Pattern.compile("-?\\d{1,20}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    static final String SECRET_PREFIX = "whsec_";

    private final TargetGuard guard;
    private final RelayConfig config;

    public RouteValidator(TargetGuard guard, RelayConfig config) {
        this.guard = guard;
        this.config = config;
    }

    /** Field errors keyed like {@code routes[0].target}, prefixed by {@code prefix}. */
    public Map<String, List<String>> validate(String prefix, List<RouteRequest> routes) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (int i = 0; i < routes.size(); i++) {
            RouteRequest route = routes.get(i);
            String at = prefix + "routes[" + i + "].";
            if (route == null || route.channel() == null || route.target() == null) {
                continue; // Bean Validation reports these
            }
            String problem = targetProblem(route);
            if (problem != null) {
                errors.computeIfAbsent(at + "target", k -> new ArrayList<>()).add(problem);
            }
            String secretProblem = secretProblem(route);
            if (secretProblem != null) {
                errors.computeIfAbsent(at + "secret", k -> new ArrayList<>()).add(secretProblem);
            }
        }
        return errors;
    }

    private String targetProblem(RouteRequest route) {
        switch (route.channel()) {
            case TELEGRAM:
                return CHAT_ID.matcher(route.target()).matches() ? null : "A Telegram chat id is numeric.";
            case EMAIL:
                return EMAIL.matcher(route.target()).matches() ? null : "Not a valid e-mail address.";
            default:
                return urlProblem(route.target());
        }
    }

    private String urlProblem(String target) {
        try {
            URI url = new URI(target);
            if (!url.isAbsolute()) {
                return "Not an absolute URL.";
            }
            if (isLiteralOrLocalName(url.getHost())) {
                guard.check(url); // needs no DNS; names are checked at delivery time, when they are resolved anyway
            } else if (config.allowPrivateTargets()) {
                guard.checkScheme(url);
            } else if (!"https".equalsIgnoreCase(url.getScheme())) {
                return "The URL must be https.";
            }
            return null;
        } catch (URISyntaxException e) {
            return "Not a valid URL.";
        } catch (TargetGuard.ForbiddenTargetException e) {
            return "Not allowed: " + e.getMessage() + ".";
        } catch (TargetGuard.UnresolvableTargetException e) {
            return "The URL's host does not resolve.";
        }
    }

    private static boolean isLiteralOrLocalName(String host) {
        return host == null
                || host.equalsIgnoreCase("localhost")
                || host.matches("[0-9.]+")
                || host.contains(":")
                || host.startsWith("[");
    }

    private static String secretProblem(RouteRequest route) {
        if (route.channel() != Channel.WEBHOOK) {
            return route.secret() == null ? null : "Only webhook routes have a secret.";
        }
        if (route.secret() == null || !route.secret().startsWith(SECRET_PREFIX)) {
            return "A webhook route needs a secret of the form whsec_<base64>.";
        }
        try {
            int length = Base64.getDecoder().decode(route.secret().substring(SECRET_PREFIX.length())).length;
            return length >= 24 && length <= 64 ? null : "The secret must hold 24 to 64 bytes.";
        } catch (IllegalArgumentException e) {
            return "The secret after whsec_ must be base64.";
        }
    }
}
