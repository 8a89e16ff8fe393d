package brocard.webhooks.relay.channel;

import brocard.webhooks.config.RelayConfig;
import brocard.webhooks.relay.directory.TargetGuard;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Map;

/**
 * The outbound HTTP of the HTTP channels: JSON POST, bounded timeouts, redirects never followed (a redirect could lead
 * a code anywhere), and the target checked against internal addresses before each request.
 */
@ApplicationScoped
public class HttpSender {

    private final HttpClient client;
    private final RelayConfig config;
    private final TargetGuard guard;

    public HttpSender(RelayConfig config, TargetGuard guard) {
        this.config = config;
        this.guard = guard;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** POSTs the JSON; returns the response body on 2xx. */
    public String postJson(URI url, String json, Map<String, String> headers) throws DeliveryException {
        try {
            guard.check(url);
        } catch (TargetGuard.ForbiddenTargetException e) {
            throw DeliveryException.permanent("target refused: " + e.getMessage());
        } catch (TargetGuard.UnresolvableTargetException e) {
            throw DeliveryException.retryable(e.getMessage());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(config.requestTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw DeliveryException.retryable("timeout");
        } catch (IOException e) {
            throw DeliveryException.retryable(e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryException.retryable("interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        boolean retryable = status == 408 || status == 429 || status >= 500;
        throw new DeliveryException("HTTP " + status, retryable);
    }
}
