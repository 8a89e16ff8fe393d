package brocard.webhooks.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * A real HTTP server playing Brocard's REST API (WireMock), for the whole test suite: the application is configured
 * with its base URL and a test API key. Tests stub it through {@link FakeBrocardApi}.
 */
@QuarkusTestResource(BrocardApiServer.class)
public class BrocardApiServer implements QuarkusTestResourceLifecycleManager {

    /** The key the application sends; tests assert it never shows in logs or run errors. */
    public static final String API_KEY = "test-brocard-api-key-7f3a9c";

    static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return Map.of(
                "brocard.api.base-url", "http://127.0.0.1:" + server.port() + "/api/v2", "brocard.api.key", API_KEY);
    }

    /** Every answer from now on comes after this delay (until the next reset). */
    public static void delayAll(int millis) {
        server.setGlobalFixedDelay(millis);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
