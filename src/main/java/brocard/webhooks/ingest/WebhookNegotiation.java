package brocard.webhooks.ingest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Keeps content negotiation from refusing a webhook before {@link WebhookResource} sees it, so that every request to
 * a webhook URL gets the one JSON answer (200 stored, or a 4xx in Brocard's format, quarantined):
 * <ul>
 *   <li>{@code Accept} is set to JSON: a client that asks for {@code text/plain} or {@code text/html} would otherwise
 *       get a bare 406 and its webhook would be neither stored nor quarantined.</li>
 *   <li>A {@code Content-Type} that is not a media type at all ({@code garbage}) would be a bare 415 from the
 *       framework; it is replaced by {@code application/octet-stream} so that the resource answers 415 itself and
 *       quarantines the body with the header as sent (read from the raw request).</li>
 * </ul>
 */
public class WebhookNegotiation {

    private static final String WEBHOOK_PATH = "/webhooks/";

    @ServerRequestFilter(preMatching = true)
    public void negotiate(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith(WEBHOOK_PATH)) {
            return;
        }
        request.getHeaders().putSingle(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON);
        String contentType = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && !isMediaType(contentType)) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_OCTET_STREAM);
        }
    }

    private static boolean isMediaType(String contentType) {
        try {
            MediaType.valueOf(contentType);
            return true;
        } catch (IllegalArgumentException notAMediaType) {
            return false;
        }
    }
}
