package brocard.webhooks.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.RestAssured;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/** Sends webhooks without waiting for the answer, for tests that need several requests in flight at once. */
public final class AsyncWebhooks {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private AsyncWebhooks() {}

    /** POSTs to {@code /webhooks/brocard<suffix>} with the test token. */
    public static CompletableFuture<HttpResponse<String>> post(String suffix, ObjectNode body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                        + "/webhooks/brocard" + suffix + "?token=" + Webhooks.TOKEN))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }
}
