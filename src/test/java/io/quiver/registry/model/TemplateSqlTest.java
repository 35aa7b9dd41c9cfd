package io.quiver.registry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplateSqlTest {

    @Test
    void findsSourcesAndParametersButNotInsideLiteralsOrCasts() {
        TemplateSql t = TemplateSql.parse("SELECT a::INT, ':not_me' AS \"{{not_me}}\", b FROM {{silver.tx}} JOIN {{customers}} USING (id) "
                + "WHERE amount > :min_amount AND kind = :kind OR amount > :min_amount");
        assertThat(t.sources()).containsExactly("silver.tx", "customers");
        assertThat(t.parameters()).containsExactly("min_amount", "kind");
        List<String> binds = new ArrayList<>();
        String sql = t.render(s -> "rel_" + s.replace('.', '_'), p -> "CAST(? AS DOUBLE)", binds);
        assertThat(sql).isEqualTo("SELECT a::INT, ':not_me' AS \"{{not_me}}\", b FROM rel_silver_tx JOIN rel_customers USING (id) "
                + "WHERE amount > CAST(? AS DOUBLE) AND kind = CAST(? AS DOUBLE) OR amount > CAST(? AS DOUBLE)");
        assertThat(binds).containsExactly("min_amount", "kind", "min_amount");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SELECT 1 FROM {{a}} -- hidden|comments are not allowed",
            "SELECT 1 FROM {{a}} /* COPY */|comments are not allowed",
            "SELECT 1 FROM {{a}}; COPY x TO 'y'|one statement",
            "SELECT ? FROM {{a}}|positional parameter",
            "SELECT $1 FROM {{a}}|positional parameter",
            "SELECT 1|reads no data source",
            "SELECT 1 FROM {{a b}}|does not name a data source",
            "SELECT 1 FROM {{a}|is not closed",
            "SELECT 'open FROM {{a}}|not closed",
            "SELECT :Bad FROM {{a}}|must match",
    })
    void refusesWhatCouldHideFromTheChecks(String template, String message) {
        assertThatThrownBy(() -> TemplateSql.parse(template)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void aTemplateTooLongIsRefused() {
        assertThatThrownBy(() -> TemplateSql.parse("SELECT 1 FROM {{a}} " + " ".repeat(TemplateSql.MAX_LENGTH)))
                .hasMessageContaining("at most");
    }
}
