package brocard.webhooks.reconcile;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Without a Brocard API key: no sweep, and the operator API says why instead of pretending to run. */
@QuarkusTest
@TestProfile(ReconciliationOffTest.WithoutApiKey.class)
class ReconciliationOffTest {

    public static class WithoutApiKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("brocard.api.key", "");
        }
    }

    @Inject
    Reconciliations reconciliations;

    @Test
    void theOperatorApiAnswers409AndTheSweepDoesNothing() {
        Runs.admin()
                .contentType("application/json")
                .body("{\"from\":\"" + Runs.WINDOW_FROM + "\",\"to\":\"" + Runs.WINDOW_TO + "\"}")
                .post("/admin/reconciliations")
                .then()
                .statusCode(409)
                .body("message", containsString("no Brocard API key is configured"))
                .body("request_id", notNullValue());
        assertEquals(Reconciliations.SweepOutcome.SKIPPED_NOT_CONFIGURED, reconciliations.sweep());
        Runs.admin().get("/admin/reconciliations").then().statusCode(200);
    }
}
