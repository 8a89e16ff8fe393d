package brocard.webhooks.reconcile;

import brocard.webhooks.support.Webhooks;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Starts reconciliation runs through the operator API and waits for their end, as an operator would. */
final class Runs {

    static final String WINDOW_FROM = "2026-01-01 00:00:00";
    static final String WINDOW_TO = "2026-01-03 00:00:00";

    private Runs() {}

    static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + Webhooks.ADMIN_TOKEN);
    }

    /** Requests a run and returns its final view. */
    static JsonPath runToEnd(List<String> kinds) {
        long id = start(kinds);
        return awaitEnd(id);
    }

    static long start(List<String> kinds) {
        String body = "{\"from\":\"" + WINDOW_FROM + "\",\"to\":\"" + WINDOW_TO + "\",\"kinds\":["
                + String.join(",", kinds.stream().map(k -> "\"" + k + "\"").toList()) + "]}";
        return admin().contentType("application/json")
                .body(body)
                .post("/admin/reconciliations")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    static JsonPath awaitEnd(long id) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !"running".equals(view(id).getString("status")));
        return view(id);
    }

    static JsonPath view(long id) {
        return admin().get("/admin/reconciliations/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
