package brocard.webhooks.reconcile;

import brocard.webhooks.support.FakeBrocardApi;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

/** The operator API's contract: authentication, validation in Brocard's error format, views of runs. */
@QuarkusTest
class ReconciliationAdminTest {

    @Test
    void requiresTheAdminToken() {
        given().contentType("application/json")
                .body("{}")
                .post("/admin/reconciliations")
                .then()
                .statusCode(401);
        given().get("/admin/reconciliations").then().statusCode(401);
    }

    @Test
    void refusesABadWindowFieldByField() {
        Runs.admin()
                .contentType("application/json")
                .body("{\"from\":\"2026-01-02\",\"to\":\"2026-01-01 00:00:00\",\"kinds\":[\"payments\",\"otp\"]}")
                .post("/admin/reconciliations")
                .then()
                .statusCode(422)
                .body("message", equalTo("The given data was invalid."))
                .body("errors.from[0]", equalTo("The from does not match the format Y-m-d H:i:s."))
                .body("errors.'kinds.1'[0]", equalTo("The kinds.1 must be payments or refunds."))
                .body("request_id", notNullValue());
        Runs.admin()
                .contentType("application/json")
                .body("{\"from\":\"2026-01-02 00:00:00\",\"to\":\"2026-01-01 00:00:00\"}")
                .post("/admin/reconciliations")
                .then()
                .statusCode(422)
                .body("errors.to[0]", equalTo("The to field must be a date after from."));
        Runs.admin()
                .contentType("application/json")
                .body("{\"to\":\"2026-01-01 00:00:00\"}")
                .post("/admin/reconciliations")
                .then()
                .statusCode(422)
                .body("errors.from[0]", equalTo("The from field is required."));
        Runs.admin()
                .contentType("application/json")
                .body("{\"from\":\"2025-01-01 00:00:00\",\"to\":\"2026-01-01 00:00:00\"}")
                .post("/admin/reconciliations")
                .then()
                .statusCode(422);
    }

    @Test
    void kindsDefaultToBothAndRunsAreListedNewestFirst() {
        FakeBrocardApi.reset();
        FakeBrocardApi.paymentsByPages(List.of(List.of()));
        FakeBrocardApi.refundsByCursor(List.of(List.of()));
        long id = Runs.admin()
                .contentType("application/json")
                .body("{\"from\":\"" + Runs.WINDOW_FROM + "\",\"to\":\"" + Runs.WINDOW_TO + "\"}")
                .post("/admin/reconciliations")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");

        Runs.awaitEnd(id);
        Runs.admin()
                .get("/admin/reconciliations/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo((int) id))
                .body("status", equalTo("succeeded"))
                .body("trigger", equalTo("operator"))
                .body("from", equalTo(Runs.WINDOW_FROM))
                .body("to", equalTo(Runs.WINDOW_TO))
                .body("kinds", equalTo(List.of("payments", "refunds")))
                .body("scanned", equalTo(0));
        Runs.admin()
                .get("/admin/reconciliations")
                .then()
                .statusCode(200)
                .body("[0].id", equalTo((int) id))
                .body("id", hasItem((int) id));
        Runs.admin().get("/admin/reconciliations/987654321").then().statusCode(404);
        // The operator's request is in the audit log, under the token's name.
        Runs.admin()
                .queryParam("target", "reconciliation/" + id)
                .get("/admin/audit")
                .then()
                .statusCode(200)
                .body("action", equalTo(List.of("reconciliation.request")))
                .body("[0].actor", org.hamcrest.Matchers.startsWith("unnamed-"))
                .body("[0].details.from", equalTo(Runs.WINDOW_FROM))
                .body("[0].details.kinds", equalTo(List.of("payments", "refunds")));
    }
}
