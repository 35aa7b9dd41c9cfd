package io.quiver.support;

import static io.restassured.RestAssured.given;

import java.util.Arrays;

/** The service's own Prometheus series, read from {@code /q/metrics}. */
public final class Metrics {

    private Metrics() {
    }

    /**
     * The sum of a series' samples whose labels contain every fragment, e.g.
     * {@code sum("quiver_store_seconds_count", "operation=\"download\"")}.
     */
    public static double sum(String series, String... labelFragments) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return body.lines().filter(l -> l.startsWith(series + "{") && Arrays.stream(labelFragments).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
