package io.quiver.error;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** "Did you mean" hints: candidates within a small edit distance of what the user typed. */
public final class Suggestions {

    private Suggestions() {
    }

    public static Optional<String> closest(String input, Collection<String> candidates) {
        return close(input, candidates, 1).stream().findFirst();
    }

    /** Up to {@code limit} candidates, nearest first, whose distance is at most a third of the input's length (min 2). */
    public static List<String> close(String input, Collection<String> candidates, int limit) {
        int budget = Math.max(2, input.length() / 3);
        return candidates.stream()
                .map(c -> new Scored(c, distance(input, c)))
                .filter(s -> s.distance <= budget || s.candidate.startsWith(input) || input.startsWith(s.candidate))
                .sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::candidate))
                .limit(limit)
                .map(Scored::candidate)
                .toList();
    }

    private record Scored(String candidate, int distance) {
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
