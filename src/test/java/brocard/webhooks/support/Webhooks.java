package brocard.webhooks.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import static io.restassured.RestAssured.given;

/** Sends webhooks the way Brocard does: JSON, token in the URL. */
public final class Webhooks {

    public static final String TOKEN = "test-token-primary";
    public static final String ROTATED_TOKEN = "test-token-rotated";
    public static final String ADMIN_TOKEN = "test-admin-token";

    private Webhooks() {}

    /** POSTs to {@code /webhooks/brocard<suffix>}, e.g. "" (combined), "/payments", "/3ds". */
    public static ValidatableResponse post(String suffix, ObjectNode body) {
        return post(suffix, body.toString());
    }

    public static ValidatableResponse post(String suffix, String body) {
        return given().contentType(ContentType.JSON)
                .queryParam("token", TOKEN)
                .body(body)
                .when()
                .post("/webhooks/brocard" + suffix)
                .then();
    }
}
