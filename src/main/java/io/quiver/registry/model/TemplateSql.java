package io.quiver.registry.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A query template split into what it is made of: SQL text, data source references ({@code {{silver.transactions}}})
 * and named parameters ({@code :min_amount}). String literals and quoted identifiers are kept whole (a {@code :x}
 * or {@code {{x}}} inside one is text), {@code ::} is DuckDB's cast, not a parameter. Comments and semicolons are
 * refused outright: a template is one statement, and nothing in it may hide from the checks that read it.
 */
public final class TemplateSql {

    /** The most characters a template may have. */
    public static final int MAX_LENGTH = 20_000;

    /** One piece of the template. */
    public interface Part {
    }

    public record Text(String sql) implements Part {
    }

    public record SourceRef(String name) implements Part {
    }

    public record ParamRef(String name) implements Part {
    }

    private final List<Part> parts;

    private TemplateSql(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    public List<Part> parts() {
        return parts;
    }

    /** The data sources referenced, in first-use order, as written ({@code silver.transactions} or {@code transactions}). */
    public Set<String> sources() {
        Set<String> out = new LinkedHashSet<>();
        parts.stream().filter(p -> p instanceof SourceRef).forEach(p -> out.add(((SourceRef) p).name()));
        return out;
    }

    /** The parameters used, in first-use order. */
    public Set<String> parameters() {
        Set<String> out = new LinkedHashSet<>();
        parts.stream().filter(p -> p instanceof ParamRef).forEach(p -> out.add(((ParamRef) p).name()));
        return out;
    }

    /**
     * The SQL to run: each source reference replaced by the given relation, each parameter by the given SQL (which
     * holds one {@code ?}, e.g. {@code CAST(? AS DOUBLE)}).
     *
     * @param bindOrder receives the parameter names in the order of their {@code ?}s (one per use)
     */
    public String render(Function<String, String> relationOfSource, Function<String, String> parameterSql, List<String> bindOrder) {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Text t) {
                out.append(t.sql());
            } else if (p instanceof SourceRef s) {
                out.append(relationOfSource.apply(s.name()));
            } else if (p instanceof ParamRef r) {
                out.append(parameterSql.apply(r.name()));
                bindOrder.add(r.name());
            }
        }
        return out.toString();
    }

    /** The template with each source reference replaced by the given text (e.g. renamed), parameters kept. */
    public String rewriteSources(Map<String, String> replacement) {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Text t) {
                out.append(t.sql());
            } else if (p instanceof SourceRef s) {
                out.append("{{").append(replacement.getOrDefault(s.name(), s.name())).append("}}");
            } else if (p instanceof ParamRef r) {
                out.append(':').append(r.name());
            }
        }
        return out.toString();
    }

    /** @throws IllegalArgumentException with a message saying what is wrong and where (a character position) */
    public static TemplateSql parse(String template) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("the query template is empty; write one SELECT over {{layer.source}}");
        }
        if (template.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the query template has " + template.length() + " characters; at most " + MAX_LENGTH);
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        int n = template.length();
        while (i < n) {
            char c = template.charAt(i);
            if (c == '\'' || c == '"') {
                int end = closing(template, i, c);
                text.append(template, i, end + 1);
                i = end + 1;
            } else if (template.startsWith("--", i) || template.startsWith("/*", i)) {
                throw new IllegalArgumentException("comments are not allowed in a query template (at character " + (i + 1) + ")");
            } else if (c == ';') {
                throw new IllegalArgumentException("a query template is one statement: remove the ';' at character " + (i + 1));
            } else if (template.startsWith("{{", i)) {
                int end = template.indexOf("}}", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("'{{' at character " + (i + 1) + " is not closed with '}}'");
                }
                String name = template.substring(i + 2, end).trim();
                if (!name.matches("([a-z][a-z0-9_]{0,62}\\.)?[a-z][a-z0-9_]{0,62}")) {
                    throw new IllegalArgumentException("'{{" + name + "}}' at character " + (i + 1) + " does not name a data source; "
                            + "write {{layer.name}}, e.g. {{silver.transactions}}");
                }
                flush(parts, text);
                parts.add(new SourceRef(name));
                i = end + 2;
            } else if (c == ':' && i + 1 < n && template.charAt(i + 1) == ':') {
                text.append("::");
                i += 2;
            } else if (c == ':' && i + 1 < n && Character.isLetter(template.charAt(i + 1))) {
                int end = i + 1;
                while (end < n && (Character.isLetterOrDigit(template.charAt(end)) || template.charAt(end) == '_')) {
                    end++;
                }
                String name = template.substring(i + 1, end);
                if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
                    throw new IllegalArgumentException("parameter ':" + name + "' at character " + (i + 1)
                            + " must match [a-z][a-z0-9_]{0,62}");
                }
                flush(parts, text);
                parts.add(new ParamRef(name));
                i = end;
            } else if (c == '?' || c == '$' && i + 1 < n && (Character.isDigit(template.charAt(i + 1)) || Character.isLetter(template.charAt(i + 1)))) {
                throw new IllegalArgumentException("'" + c + "' at character " + (i + 1) + " is a positional parameter; name it "
                        + "(:name) and declare it in parameters");
            } else {
                text.append(c);
                i++;
            }
        }
        flush(parts, text);
        if (parts.stream().noneMatch(p -> p instanceof SourceRef)) {
            throw new IllegalArgumentException("the query template reads no data source; refer to one as {{layer.name}}");
        }
        return new TemplateSql(parts);
    }

    private static int closing(String s, int start, char quote) {
        int i = start + 1;
        while (i < s.length()) {
            if (s.charAt(i) == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2; // doubled quote: part of the literal
                    continue;
                }
                return i;
            }
            i++;
        }
        throw new IllegalArgumentException("the " + (quote == '\'' ? "string" : "quoted name") + " starting at character " + (start + 1)
                + " is not closed");
    }

    private static void flush(List<Part> parts, StringBuilder text) {
        if (!text.isEmpty()) {
            parts.add(new Text(text.toString()));
            text.setLength(0);
        }
    }
}
