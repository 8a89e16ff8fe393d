package brocard.webhooks.audit;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;

/**
 * Takes credentials out of what the audit log keeps. A URL keeps its scheme, host, port and path (enough to tell one
 * endpoint from another) and loses its user-info and its query values, which is where tokens travel.
 */
public final class Redaction {

    private static final String HIDDEN = "***";

    private Redaction() {}

    /**
     * {@code https://user:pw@hooks.example.com/otp?key=abc#frag} becomes {@code https://***@hooks.example.com/otp?key=***}
     * (the fragment is dropped).
     */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url.trim());
            if (uri.getHost() == null) {
                return HIDDEN; // not a URL we can take apart safely: keep nothing
            }
            StringBuilder shown = new StringBuilder().append(uri.getScheme()).append("://");
            if (uri.getRawUserInfo() != null) {
                shown.append(HIDDEN).append('@');
            }
            shown.append(uri.getHost());
            if (uri.getPort() >= 0) {
                shown.append(':').append(uri.getPort());
            }
            shown.append(uri.getRawPath() == null ? "" : uri.getRawPath());
            if (uri.getRawQuery() != null) {
                // Parameter names stay (they tell endpoints apart), values go; a bare parameter may itself be a key.
                shown.append('?')
                        .append(String.join(
                                "&",
                                Arrays.stream(uri.getRawQuery().split("&", -1))
                                        .map(p -> p.contains("=")
                                                ? p.substring(0, p.indexOf('=')) + "=" + HIDDEN
                                                : HIDDEN)
                                        .toList()));
            }
            return shown.toString();
        } catch (URISyntaxException e) {
            return HIDDEN;
        }
    }

    /** Everything after the host: for URLs whose path is itself the credential (Slack incoming webhooks). */
    public static String hostOnly(String url) {
        String shown = url(url);
        int pathStart = shown.indexOf('/', shown.indexOf("//") + 2);
        return pathStart < 0 ? shown : shown.substring(0, pathStart) + "/" + HIDDEN;
    }
}
