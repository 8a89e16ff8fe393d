package brocard.webhooks.relay;

import brocard.webhooks.support.Relay;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

/** The recipient directory's admin API: create, replace, list, delete, bulk import, all validated. */
@QuarkusTest
class RecipientAdminTest {

    @Test
    void createReadReplaceDelete() {
        long id = Samples.nextId();
        Map<String, Object> recipient = Map.of(
                "recipientId",
                id,
                "displayName",
                "Ada",
                "routes",
                List.of(
                        Map.of("channel", "telegram", "target", "-100123456", "label", "team chat"),
                        Relay.webhookRoute("/ada")));

        admin().body(recipient)
                .post("/admin/recipients")
                .then()
                .statusCode(201)
                .body("recipientId", equalTo((int) id))
                .body("routes.channel", contains("telegram", "webhook"))
                .body("routes[1].hasSecret", equalTo(true))
                .body("routes[1]", not(hasKey("secret")))
                .body(not(containsString("whsec_")));
        admin().body(recipient).post("/admin/recipients").then().statusCode(409);
        admin().get("/admin/recipients/" + id).then().statusCode(200).body("displayName", equalTo("Ada"));
        admin().get("/admin/recipients").then().statusCode(200).body("recipientId", hasItem((int) id));

        admin().body(Map.of(
                        "displayName",
                        "Ada L.",
                        "routes",
                        List.of(Map.of("channel", "email", "target", "ada@example.com", "enabled", false))))
                .put("/admin/recipients/" + id)
                .then()
                .statusCode(200)
                .body("displayName", equalTo("Ada L."))
                .body("routes.channel", contains("email"))
                .body("routes[0].enabled", equalTo(false));

        admin().delete("/admin/recipients/" + id).then().statusCode(204);
        admin().get("/admin/recipients/" + id).then().statusCode(404);
        admin().delete("/admin/recipients/" + id).then().statusCode(404);
    }

    @Test
    void invalidRoutesAre422WithEveryProblemNamed() {
        admin().body(Map.of(
                        "recipientId",
                        Samples.nextId(),
                        "displayName",
                        "",
                        "routes",
                        List.of(
                                Map.of("channel", "telegram", "target", "@ada"),
                                Map.of("channel", "email", "target", "not-an-address"),
                                Map.of("channel", "webhook", "target", "ftp://example.com/x"),
                                Map.of(
                                        "channel",
                                        "slack",
                                        "target",
                                        "https://hooks.slack.example/x",
                                        "secret",
                                        "whsec_AAAA"))))
                .post("/admin/recipients")
                .then()
                .statusCode(422)
                .body("message", equalTo("The given data was invalid."))
                .body("errors.displayName", hasItem(containsString("blank")))
                .body("errors.'routes[0].target'", contains("A Telegram chat id is numeric."))
                .body("errors.'routes[1].target'", contains("Not a valid e-mail address."))
                .body("errors.'routes[2].target'", hasItem(containsString("https")))
                .body("errors.'routes[2].secret'", hasItem(containsString("whsec_")))
                .body("errors.'routes[3].secret'", contains("Only webhook routes have a secret."));
    }

    @Test
    void bulkImportIsAllOrNothing() {
        long first = Samples.nextId();
        long second = Samples.nextId();
        List<Map<String, Object>> bad = List.of(
                Map.of(
                        "recipientId",
                        first,
                        "displayName",
                        "One",
                        "routes",
                        List.of(Map.of("channel", "telegram", "target", "42"))),
                Map.of(
                        "recipientId",
                        second,
                        "displayName",
                        "Two",
                        "routes",
                        List.of(Map.of("channel", "telegram", "target", "forty-two"))));
        admin().body(bad)
                .post("/admin/recipients/import")
                .then()
                .statusCode(422)
                .body("errors.'[1].routes[0].target'", contains("A Telegram chat id is numeric."));
        admin().get("/admin/recipients/" + first).then().statusCode(404);

        List<Map<String, Object>> good = List.of(
                bad.get(0),
                Map.of(
                        "recipientId",
                        second,
                        "displayName",
                        "Two",
                        "routes",
                        List.of(Map.of("channel", "telegram", "target", "43"))));
        admin().body(good)
                .post("/admin/recipients/import")
                .then()
                .statusCode(200)
                .body("imported", equalTo(2));
        admin().get("/admin/recipients/" + second).then().statusCode(200).body("routes[0].target", equalTo("43"));
    }

    @Test
    void theDirectoryNeedsTheAdminToken() {
        given().get("/admin/recipients").then().statusCode(401);
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + Webhooks.ADMIN_TOKEN).contentType(ContentType.JSON);
    }
}
