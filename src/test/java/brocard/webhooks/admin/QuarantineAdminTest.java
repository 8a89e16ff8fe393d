package brocard.webhooks.admin;

import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import brocard.webhooks.support.Webhooks;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** An operator can see why a webhook was refused and re-ingest it once the cause is fixed. */
@QuarkusTest
class QuarantineAdminTest {

    @Inject
    Rows rows;

    @Test
    void aWebhookSentToTheWrongUrlCanBeInspectedAndReplayedToTheRightOne() {
        ObjectNode refund = Samples.fresh("refund-current");
        long id = refund.get("id").asLong();
        String requestId =
                Webhooks.post("/payments", refund).statusCode(422).extract().path("request_id");

        admin().get("/admin/quarantine").then().statusCode(200).body("id", hasItem(requestId));
        admin().get("/admin/quarantine/" + requestId)
                .then()
                .statusCode(200)
                .body("reason", equalTo("INVALID_FIELDS"))
                .body("endpoint", equalTo("PAYMENTS"))
                .body("httpStatus", equalTo(422))
                .body("fieldErrors.webhook_type[0]", equalTo("The webhook type must be payment at this URL."))
                .body("bodyPreview.webhook_type", equalTo("refund"))
                .body("bodyPurged", equalTo(false));

        admin().post("/admin/quarantine/" + requestId + "/replay")
                .then()
                .statusCode(200)
                .body("outcome", equalTo("invalid_fields"));
        admin().queryParam("endpoint", "COMBINED")
                .post("/admin/quarantine/" + requestId + "/replay")
                .then()
                .statusCode(200)
                .body("outcome", equalTo("accepted"))
                .body("result.id", equalTo((int) id));
        admin().queryParam("endpoint", "COMBINED")
                .post("/admin/quarantine/" + requestId + "/replay")
                .then()
                .statusCode(200)
                .body("outcome", equalTo("duplicate"));

        assertEquals(1, rows.count("select count(*) from refund_event where refund_id = ?", id));
        assertEquals(
                "duplicate",
                rows.query("select replay_outcome from quarantined_webhook where id = ?", UUID.fromString(requestId))
                        .get(0)
                        .get("replay_outcome"));
        try (TopicReader topic = new TopicReader("brocard.refunds")) {
            topic.exactly(1, Long.toString(id));
        }
    }

    @Test
    void previewsNeverShowSecrets() {
        ObjectNode otp = Samples.fresh("otp-example");
        otp.put("code", "551177");
        otp.remove("amount");
        String requestId = Webhooks.post("/3ds", otp).statusCode(422).extract().path("request_id");
        admin().get("/admin/quarantine/" + requestId)
                .then()
                .statusCode(200)
                .body(
                        "bodyPreview.recipient_id",
                        equalTo(otp.get("recipient_id").asInt()))
                .body(not(containsString("551177")));
    }

    @Test
    void unknownIdsAre404() {
        admin().get("/admin/quarantine/" + UUID.randomUUID()).then().statusCode(404);
        admin().post("/admin/quarantine/" + UUID.randomUUID() + "/replay")
                .then()
                .statusCode(404);
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + Webhooks.ADMIN_TOKEN);
    }
}
