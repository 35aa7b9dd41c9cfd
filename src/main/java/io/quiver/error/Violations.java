package io.quiver.error;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the violations of one request: every one is counted, the first {@value #MAX_LISTED} are kept, and
 * {@link #throwIfAny} rejects the request with them and the total. The one collector every validator uses
 * (definitions, JSON rows, bulk uploads, entity keys of online and historical reads).
 */
public final class Violations {

    /** How many violations an answer lists; the rest are counted. */
    public static final int MAX_LISTED = 100;

    private final List<Violation> listed = new ArrayList<>();
    private long total;

    public void add(String path, ValidationRule rule, String message) {
        add(new Violation(path, rule, message));
    }

    public void add(Violation violation) {
        total++;
        if (listed.size() < MAX_LISTED) {
            listed.add(violation);
        }
    }

    /**
     * A check that found {@code found} violations and gives the first of them (e.g. a query's count and its first
     * rows): as many as there is room for are listed, all are counted.
     */
    public void addAll(long found, List<Violation> first) {
        first.stream().limit(room()).forEach(listed::add);
        total += Math.max(found, first.size());
    }

    /** How many more violations would still be listed. */
    public int room() {
        return MAX_LISTED - listed.size();
    }

    public boolean isEmpty() {
        return total == 0;
    }

    public long total() {
        return total;
    }

    public List<Violation> listed() {
        return List.copyOf(listed);
    }

    /**
     * @param what the rejected input, e.g. "The batch" (the message starts with it)
     * @param write whether the input was data to store (the message then says nothing was written)
     * @throws SchemaValidationException when any violation was found
     */
    public void throwIfAny(String what, boolean write) {
        if (total > 0) {
            throw new SchemaValidationException(what, listed(), total, write);
        }
    }
}
