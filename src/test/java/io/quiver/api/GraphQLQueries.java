package io.quiver.api;

import java.util.Map;

import io.quiver.support.GraphQL;
import io.restassured.path.json.JsonPath;

/** Small queries several test classes share. */
final class GraphQLQueries {

    private GraphQLQueries() {
    }

    /** The latest version of a group, or the errors saying why there is none. */
    static JsonPath groupByName(String name) {
        return GraphQL.post("query($n: String!) { featureGroup(name: $n) { name version } }", Map.of("n", name))
                .extract().jsonPath();
    }
}
