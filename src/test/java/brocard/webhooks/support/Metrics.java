package brocard.webhooks.support;

import java.util.Arrays;

import static io.restassured.RestAssured.given;

/** Reads one sample from the Prometheus endpoint, as a dashboard would. */
public final class Metrics {

    private Metrics() {}

    /**
     * The value of the sample with this name whose labels include all of {@code labels} ({@code key="value"}), or 0
     * when there is none yet (a counter that never counted is not exported).
     */
    public static double value(String name, String... labels) {
        String text = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return text.lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
