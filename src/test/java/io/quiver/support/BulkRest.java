package io.quiver.support;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** Posts binary bodies (Arrow, Parquet, anything) to the bulk REST endpoints, as a client library would. */
public final class BulkRest {

    private BulkRest() {
    }

    /** POST /api/v1/groups/{group}/data?query. */
    public static ValidatableResponse write(String group, String contentType, byte[] body, String query) {
        return binary(contentType, body).when().post("/api/v1/groups/" + group + "/data" + (query == null ? "" : "?" + query)).then();
    }

    /** POST /api/v1/historical-features?query, with an Accept header unless null. */
    public static ValidatableResponse historical(String contentType, String accept, byte[] body, String query) {
        RequestSpecification spec = binary(contentType, body);
        if (accept != null) {
            spec = spec.accept(accept);
        }
        return spec.when().post("/api/v1/historical-features" + (query == null || query.isEmpty() ? "" : "?" + query)).then();
    }

    /** A training set of an Arrow entity table, answered as Arrow with 200 (headers and body to read). */
    public static io.restassured.response.ExtractableResponse<io.restassured.response.Response> trainingSet(byte[] entities, String query) {
        return historical(Columnar.ARROW, Columnar.ARROW, entities, query).statusCode(200).extract();
    }

    private static RequestSpecification binary(String contentType, byte[] body) {
        return given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                .appendDefaultContentCharsetToContentTypeIfUndefined(false))).contentType(contentType).body(body);
    }
}
