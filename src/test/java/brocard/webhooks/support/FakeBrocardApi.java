package brocard.webhooks.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * Brocard's REST API as tests need it, on the {@link BrocardApiServer}: payments listed page-based (current version)
 * or cursor-based (previous version), refunds cursor-based, single payments, and the faults an API has (401, 429,
 * 500, slow answers). Bodies start from the documented examples in src/test/resources/brocard-api.
 */
public final class FakeBrocardApi {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String BASE = "/api/v2";

    private FakeBrocardApi() {}

    public static void reset() {
        BrocardApiServer.server.resetAll();
        BrocardApiServer.server.setGlobalFixedDelay(0);
    }

    /** A payment list entry as the current version documents it (no {@code user.uuid}, no webhook_type). */
    public static ObjectNode payment(long id, int state, String label, String date) {
        ObjectNode item =
                (ObjectNode) load("payments-list-current").get("data").get(0).deepCopy();
        item.put("id", id);
        ObjectNode stateNode = item.putObject("state");
        stateNode.put("value", state);
        stateNode.put("label", label);
        item.put("date", date);
        return item;
    }

    /** A payment list entry as the previous version documents it (no merchant mcc/name, no date_final_state). */
    public static ObjectNode previousPayment(long id, int state, String label) {
        ObjectNode item =
                (ObjectNode) load("payments-list-previous").get("data").get(0).deepCopy();
        item.put("id", id);
        ObjectNode stateNode = item.putObject("state");
        stateNode.put("value", state);
        stateNode.put("label", label);
        return item;
    }

    public static ObjectNode refund(long id) {
        ObjectNode item =
                (ObjectNode) load("refunds-list-previous").get("data").get(0).deepCopy();
        item.put("id", id);
        return item;
    }

    /** Payments list, page-based: no {@code page} (or 1) is the first page, {@code page=n} the n-th. */
    public static void paymentsByPages(List<List<ObjectNode>> pages) {
        for (int i = 0; i < pages.size(); i++) {
            ObjectNode answer = MAPPER.createObjectNode();
            answer.set("data", array(pages.get(i)));
            answer.put("total", pages.stream().mapToInt(List::size).sum());
            answer.put("per_page", 200);
            answer.put("current_page", i + 1);
            answer.put("last_page", pages.size());
            answer.put("request_id", UUID.randomUUID().toString());
            var request = get(urlPathEqualTo(BASE + "/payments"));
            request = i == 0
                    ? request.withQueryParam("page", absent())
                    : request.withQueryParam("page", equalTo(Integer.toString(i + 1)));
            BrocardApiServer.server.stubFor(request.atPriority(5).willReturn(json(answer)));
        }
    }

    /** Payments list, cursor-based (previous version). */
    public static void paymentsByCursor(List<List<ObjectNode>> pages) {
        byCursor("/payments", pages);
    }

    /** Refunds list, cursor-based (both versions). */
    public static void refundsByCursor(List<List<ObjectNode>> pages) {
        byCursor("/refunds", pages);
    }

    /** {@code GET payments/{id}?tz=UTC}. */
    public static void paymentInUtc(ObjectNode item, String utcDate) {
        ObjectNode answer = item.deepCopy();
        answer.put("date", utcDate);
        answer.put("request_id", UUID.randomUUID().toString());
        BrocardApiServer.server.stubFor(
                get(urlPathEqualTo(BASE + "/payments/" + item.get("id").asLong()))
                        .withQueryParam("tz", equalTo("UTC"))
                        .atPriority(5)
                        .willReturn(json(answer)));
    }

    /** {@code GET users/{id}} answered with a user holding this e-mail address (the documented fields). */
    public static void user(long id, String email) {
        userAnswers(id, json(userBody(id, email)));
    }

    /** {@code GET users/{id}} answered like this (an error, a slow answer…). */
    public static void userAnswers(long id, ResponseDefinitionBuilder answer) {
        BrocardApiServer.server.stubFor(
                get(urlPathEqualTo(BASE + "/users/" + id)).atPriority(5).willReturn(answer));
    }

    public static ObjectNode userBody(long id, String email) {
        ObjectNode user = MAPPER.createObjectNode();
        user.put("id", id)
                .put("uuid", UUID.randomUUID().toString())
                .put("name", "Dummy User")
                .put("email", email);
        user.putObject("state").put("value", 1).put("label", "Active");
        user.put("created_at", "2025-02-24 10:00:00");
        user.put("request_id", UUID.randomUUID().toString());
        return user;
    }

    /** Every request answered with this, until {@link #heal} removes it. */
    public static StubMapping breakAll(ResponseDefinitionBuilder answer) {
        return BrocardApiServer.server.stubFor(
                any(urlPathMatching(BASE + "/.*")).atPriority(1).willReturn(answer));
    }

    /** The second page of the payments list (either style) answered with this, until {@link #heal}. */
    public static StubMapping breakSecondPaymentsPage(ResponseDefinitionBuilder answer) {
        return BrocardApiServer.server.stubFor(get(urlPathEqualTo(BASE + "/payments"))
                .withQueryParam("page", equalTo("2"))
                .atPriority(1)
                .willReturn(answer));
    }

    public static void heal(StubMapping fault) {
        BrocardApiServer.server.removeStub(fault);
    }

    /** The first {@code times} requests to this path get the fault, the following ones the normal answer. */
    public static void failFirst(String path, int times, ResponseDefinitionBuilder fault) {
        String scenario = "fail-first " + path;
        for (int i = 0; i < times; i++) {
            BrocardApiServer.server.stubFor(get(urlPathEqualTo(BASE + path))
                    .atPriority(1)
                    .inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "failed " + i)
                    .willSetStateTo("failed " + (i + 1))
                    .willReturn(fault));
        }
    }

    /** Brocard's own error format. */
    public static ResponseDefinitionBuilder error(int status, String message) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("message", message);
        body.putObject("errors");
        body.put("request_id", UUID.randomUUID().toString());
        return json(body).withStatus(status);
    }

    public static List<LoggedRequest> requests(String path) {
        return BrocardApiServer.server.findAll(getRequestedFor(urlPathEqualTo(BASE + path)));
    }

    public static List<LoggedRequest> allRequests() {
        return BrocardApiServer.server.findAll(getRequestedFor(urlPathMatching(BASE + "/.*")));
    }

    private static void byCursor(String path, List<List<ObjectNode>> pages) {
        for (int i = 0; i < pages.size(); i++) {
            ObjectNode answer = MAPPER.createObjectNode();
            answer.set("data", array(pages.get(i)));
            answer.put("per_page", 200);
            if (i == 0) {
                answer.putNull("prev_cursor");
            } else {
                answer.put("prev_cursor", cursor(path, i - 1));
            }
            if (i + 1 < pages.size()) {
                answer.put("next_cursor", cursor(path, i + 1));
            } else {
                answer.putNull("next_cursor");
            }
            answer.put("request_id", UUID.randomUUID().toString());
            var request = get(urlPathEqualTo(BASE + path));
            request = i == 0
                    ? request.withQueryParam("cursor", absent())
                    : request.withQueryParam("cursor", equalTo(cursor(path, i)));
            BrocardApiServer.server.stubFor(request.atPriority(5).willReturn(json(answer)));
        }
    }

    private static String cursor(String path, int page) {
        return java.util.Base64.getEncoder().encodeToString(("{\"" + path + ".page\":" + page + "}").getBytes());
    }

    private static ArrayNode array(List<ObjectNode> items) {
        ArrayNode array = MAPPER.createArrayNode();
        items.forEach(array::add);
        return array;
    }

    private static ResponseDefinitionBuilder json(ObjectNode body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(body.toString());
    }

    private static ObjectNode load(String name) {
        try (InputStream in = FakeBrocardApi.class.getResourceAsStream("/brocard-api/" + name + ".json")) {
            return (ObjectNode) MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
