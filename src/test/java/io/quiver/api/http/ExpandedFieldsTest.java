package io.quiver.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import graphql.language.Document;
import graphql.parser.Parser;

class ExpandedFieldsTest {

    static long count(String document, long cap) {
        Document d = new Parser().parseDocument(document);
        return ExpandedFields.count(d, cap);
    }

    @Test
    void countsEveryFieldOnceFragmentsAreExpanded() {
        assertThat(count("{ me { principal name } }", 100)).isEqualTo(3);
        assertThat(count("{ a: me { principal } b: me { principal } ... on Query { me { roles } } }", 100)).isEqualTo(6);
        assertThat(count("query { ...F ...F } fragment F on Query { me { principal } }", 100)).isEqualTo(4);
        assertThat(count("query A { me { name } } query B { ...F } fragment F on Query { entities { name } }", 100)).isEqualTo(4);
    }

    @Test
    void aFragmentFanOutIsCutShortAboveTheCap() {
        StringBuilder d = new StringBuilder("query { ...F0 } ");
        for (int i = 0; i < 60; i++) {
            d.append("fragment F").append(i).append(" on Query { ...F").append(i + 1).append(" ...F").append(i + 1).append(" ...F").append(i + 1).append(" } ");
        }
        d.append("fragment F60 on Query { me { principal } }");
        // 2 * 3^60 fields: counted without expanding them, and reported just above the cap
        assertThat(count(d.toString(), 10_000)).isEqualTo(10_001);
    }

    @Test
    void cyclesAndUnknownFragmentsCountNothing() {
        assertThat(count("query { me { name } ...A } fragment A on Query { ...B } fragment B on Query { ...A }", 100)).isEqualTo(2);
        assertThat(count("query { ...Nope }", 100)).isZero();
    }
}
