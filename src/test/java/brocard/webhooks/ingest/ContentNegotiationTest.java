package brocard.webhooks.ingest;

import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Whatever the client says it accepts, a webhook gets the one JSON answer: stored (200) or refused and quarantined
 * (4xx), never a 406 that would leave it neither stored nor kept.
 */
@QuarkusTest
class ContentNegotiationTest {

    @Inject
    Rows rows;

    @ParameterizedTest(name = "Accept: {0} at /webhooks/brocard{1}")
    @CsvSource({
        "text/plain,/3ds,otp-example",
        "text/html,'',payment-current",
        "application/xml,/refunds,refund-current",
        "image/png,/payments,payment-previous",
        "'application/json;q=0, text/plain',/3ds,otp-card-object",
        "'*/*;q=0',/refunds,refund-previous",
        "nonsense,'',refund-current"
    })
    void anyAcceptGetsTheJsonAnswerAndTheWebhookIsStored(String accept, String path, String sample) {
        var body = Samples.fresh(sample);
        given().contentType(ContentType.JSON)
                .accept(accept)
                .queryParam("token", Webhooks.TOKEN)
                .body(body.toString())
                .post("/webhooks/brocard" + path)
                .then()
                .statusCode(200)
                .contentType(startsWith("application/json"))
                .body("status", equalTo("accepted"))
                .body("id", equalTo(body.get("id").asInt()));
    }

    @ParameterizedTest(name = "Accept: {0}")
    @CsvSource({"text/html", "application/xml", "text/plain"})
    void anyAcceptGetsTheJsonRefusalAndTheWebhookIsQuarantined(String accept) {
        var body = Samples.fresh("payment-current");
        body.remove("currency");
        String requestId = given().contentType(ContentType.JSON)
                .accept(accept)
                .queryParam("token", Webhooks.TOKEN)
                .body(body.toString())
                .post("/webhooks/brocard")
                .then()
                .statusCode(422)
                .contentType(startsWith("application/json"))
                .body("errors.currency[0]", equalTo("The currency field is required."))
                .extract()
                .path("request_id");
        assertEquals(
                1, rows.count("select count(*) from quarantined_webhook where id = ?", UUID.fromString(requestId)));
    }
}
