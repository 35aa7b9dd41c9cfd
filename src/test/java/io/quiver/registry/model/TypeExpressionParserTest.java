package io.quiver.registry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TypeExpressionParserTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "double|DOUBLE",
            "DECIMAL|DECIMAL(18,3)",
            " decimal ( 12 , 2 ) |DECIMAL(12,2)",
            "array<float>|ARRAY<FLOAT>",
            "ARRAY<ARRAY<INT>>|ARRAY<ARRAY<INT>>",
            "map<string, array<double>>|MAP<STRING,ARRAY<DOUBLE>>",
            "STRUCT<city: STRING, geo: STRUCT<lat:DOUBLE,lon:DOUBLE>>|STRUCT<city:STRING,geo:STRUCT<lat:DOUBLE,lon:DOUBLE>>",
    })
    void parsesToTheCanonicalExpression(String input, String canonical) {
        FeatureDataType type = FeatureDataType.parse(input);
        assertThat(type.toString()).isEqualTo(canonical);
        assertThat(FeatureDataType.parse(type.toString())).isEqualTo(type);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "DOUBEL|Did you mean DOUBLE?",
            "ARRAY|ARRAY needs an element type",
            "ARRAY<INT|not closed",
            "MAP<DOUBLE,INT>|MAP keys must be INT, BIGINT or STRING",
            "MAP<STRING>|MAP needs key and value types",
            "STRUCT<>|expected a name",
            "STRUCT<a:INT,a:INT>|appears twice",
            "STRUCT<Bad:INT>|must match",
            "DECIMAL(40,2)|out of range",
            "DECIMAL(5,6)|out of range",
            "INT<STRING>|takes no parameters",
            "INT INT|unexpected",
    })
    void rejectsMalformedExpressionsWithAHelpfulMessage(String input, String message) {
        assertThatThrownBy(() -> FeatureDataType.parse(input)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
