package io.quiver.api.http;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;

/**
 * How many fields a GraphQL document selects once every fragment spread is replaced by its fragment, counted in time
 * linear in the document (each fragment's count is kept), saturating just above a cap. graphql-java's own limits
 * count fields after merging the ones that repeat, while the selected-fields view SmallRye builds for every data
 * fetcher expands spreads first: {@code fragment F1 on Query { ...F2 ...F2 ...F2 }} thirty levels deep is a few
 * hundred tokens, one merged field, and 3^30 expanded ones. A spread of an unknown fragment, or one in a cycle,
 * counts nothing here (validation refuses those).
 */
final class ExpandedFields {

    private final Map<String, FragmentDefinition> fragments = new HashMap<>();
    private final Map<String, Long> counted = new HashMap<>();
    private final Set<String> counting = new HashSet<>();
    private final long cap;

    private ExpandedFields(Document document, long cap) {
        this.cap = cap;
        document.getDefinitionsOfType(FragmentDefinition.class).forEach(f -> fragments.putIfAbsent(f.getName(), f));
    }

    /** The answer to a document over the limit. */
    static String tooMany(int max) {
        return "the document selects more than " + max + " fields once its fragments are expanded (quiver.api.max-expanded-fields): a "
                + "fragment spread several times, in fragments that spread each other, multiplies its fields; select each field once";
    }

    /** The fields of all the document's operations with fragments expanded, or a number above {@code cap}. */
    static long count(Document document, long cap) {
        ExpandedFields counter = new ExpandedFields(document, cap);
        long total = 0;
        for (OperationDefinition op : document.getDefinitionsOfType(OperationDefinition.class)) {
            total = counter.add(total, counter.of(op.getSelectionSet()));
        }
        return total;
    }

    private long of(SelectionSet set) {
        long n = 0;
        if (set == null) {
            return 0;
        }
        for (Selection<?> s : set.getSelections()) {
            if (s instanceof Field f) {
                n = add(n, add(1, of(f.getSelectionSet())));
            } else if (s instanceof InlineFragment i) {
                n = add(n, of(i.getSelectionSet()));
            } else if (s instanceof FragmentSpread spread) {
                n = add(n, fragment(spread.getName()));
            }
            if (n > cap) {
                return n;
            }
        }
        return n;
    }

    private long fragment(String name) {
        Long known = counted.get(name);
        if (known != null) {
            return known;
        }
        FragmentDefinition f = fragments.get(name);
        if (f == null || !counting.add(name)) {
            return 0;
        }
        long n = of(f.getSelectionSet());
        counting.remove(name);
        counted.put(name, n);
        return n;
    }

    private long add(long a, long b) {
        long sum = a + b;
        return sum > cap ? cap + 1 : sum;
    }
}
