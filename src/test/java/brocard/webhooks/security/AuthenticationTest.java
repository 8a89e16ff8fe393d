package brocard.webhooks.security;

import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.Webhooks;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Brocard can only configure a URL: the token comes as ?token= or as URL user-info (HTTP Basic). */
@QuarkusTest
class AuthenticationTest {

    @Inject
    Rows rows;

    @Test
    void missingOrWrongTokenIs401WithNoDetailAndNothingStored() {
        ObjectNode body = Samples.fresh("refund-current");
        long quarantinedBefore = rows.count("select count(*) from quarantined_webhook");

        given().contentType(ContentType.JSON)
                .body(body.toString())
                .post("/webhooks/brocard")
                .then()
                .statusCode(401)
                .body(emptyString());
        given().contentType(ContentType.JSON)
                .queryParam("token", "test-token-primaryX")
                .body(body.toString())
                .post("/webhooks/brocard")
                .then()
                .statusCode(401)
                .body(emptyString());
        given().contentType(ContentType.JSON)
                .auth()
                .preemptive()
                .basic("brocard", "nope")
                .body(body.toString())
                .post("/webhooks/brocard/refunds")
                .then()
                .statusCode(401)
                .body(emptyString());
        // A token-less malformed body is refused for the token, not quarantined.
        given().contentType(ContentType.JSON)
                .body("{not json")
                .post("/webhooks/brocard")
                .then()
                .statusCode(401);

        assertEquals(
                0,
                rows.count(
                        "select count(*) from refund_event where refund_id = ?",
                        body.get("id").asLong()));
        assertEquals(quarantinedBefore, rows.count("select count(*) from quarantined_webhook"));
    }

    @Test
    void tokenInQueryIsAccepted() {
        Webhooks.post("", Samples.fresh("refund-current")).statusCode(200).body("status", equalTo("accepted"));
    }

    @Test
    void tokenAsUserInfoPasswordIsAccepted() {
        given().contentType(ContentType.JSON)
                .auth()
                .preemptive()
                .basic("brocard", Webhooks.TOKEN)
                .body(Samples.fresh("refund-current").toString())
                .post("/webhooks/brocard")
                .then()
                .statusCode(200)
                .body("status", equalTo("accepted"));
    }

    @Test
    void tokenAsUserInfoUserIsAccepted() {
        given().contentType(ContentType.JSON)
                .auth()
                .preemptive()
                .basic(Webhooks.TOKEN, "")
                .body(Samples.fresh("refund-current").toString())
                .post("/webhooks/brocard")
                .then()
                .statusCode(200)
                .body("status", equalTo("accepted"));
    }

    @Test
    void everyConfiguredTokenIsAcceptedDuringARotation() {
        given().contentType(ContentType.JSON)
                .queryParam("token", Webhooks.ROTATED_TOKEN)
                .body(Samples.fresh("otp-example").toString())
                .post("/webhooks/brocard/3ds")
                .then()
                .statusCode(200)
                .body("status", equalTo("accepted"));
    }

    @Test
    void operatorApiNeedsItsOwnBearerToken() {
        given().get("/admin/quarantine").then().statusCode(401);
        given().header("Authorization", "Bearer " + Webhooks.TOKEN)
                .get("/admin/quarantine")
                .then()
                .statusCode(401);
        given().header("Authorization", "Bearer " + Webhooks.ADMIN_TOKEN)
                .get("/admin/quarantine")
                .then()
                .statusCode(200);
    }
}
