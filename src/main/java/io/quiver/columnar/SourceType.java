package io.quiver.columnar;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A column type as DuckDB reports it for an uploaded Arrow stream or Parquet file ({@code DESCRIBE}), parsed into
 * a tree: {@code BIGINT}, {@code DECIMAL(10,2)}, {@code TIMESTAMP WITH TIME ZONE}, {@code DOUBLE[]},
 * {@code MAP(VARCHAR, BIGINT)}, {@code STRUCT(a INTEGER, "b c" VARCHAR)}. Lists and fixed-size arrays are both
 * {@code LIST}.
 *
 * @param name the base name, upper case ({@code LIST}, {@code MAP}, {@code STRUCT} for nested types)
 * @param params numeric parameters (precision and scale of a DECIMAL)
 * @param children element type (LIST), key and value types (MAP), field types (STRUCT)
 * @param fieldNames STRUCT field names, parallel to children; empty otherwise
 */
public record SourceType(String name, List<Integer> params, List<SourceType> children, List<String> fieldNames) {

    public SourceType {
        requireNonNull(name, "name");
        params = List.copyOf(params);
        children = List.copyOf(children);
        fieldNames = List.copyOf(fieldNames);
    }

    public static SourceType parse(String text) {
        Parser p = new Parser(text);
        SourceType t = p.type();
        p.skipSpaces();
        if (p.pos != text.length()) {
            throw new IllegalArgumentException("unexpected '" + text.substring(p.pos) + "' in type " + text);
        }
        return t;
    }

    public boolean isList() {
        return name.equals("LIST");
    }

    public SourceType element() {
        return children.get(0);
    }

    @Override
    public String toString() {
        return switch (name) {
            case "LIST" -> children.get(0) + "[]";
            case "MAP" -> "MAP(" + children.get(0) + ", " + children.get(1) + ")";
            case "STRUCT" -> {
                List<String> fields = new ArrayList<>();
                for (int i = 0; i < children.size(); i++) {
                    fields.add(fieldNames.get(i) + " " + children.get(i));
                }
                yield "STRUCT(" + String.join(", ", fields) + ")";
            }
            default -> params.isEmpty() ? name
                    : name + "(" + String.join(",", params.stream().map(String::valueOf).toList()) + ")";
        };
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        SourceType type() {
            SourceType t = primary();
            skipSpaces();
            while (pos < s.length() && s.charAt(pos) == '[') {
                int close = s.indexOf(']', pos);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed '[' in type " + s);
                }
                pos = close + 1;
                t = new SourceType("LIST", List.of(), List.of(t), List.of());
                skipSpaces();
            }
            return t;
        }

        private SourceType primary() {
            skipSpaces();
            int start = pos;
            while (pos < s.length() && "(),[]\"".indexOf(s.charAt(pos)) < 0) {
                pos++;
            }
            String word = s.substring(start, pos).trim().toUpperCase(Locale.ROOT);
            if (word.isEmpty()) {
                throw new IllegalArgumentException("missing type name at " + start + " in " + s);
            }
            if (pos >= s.length() || s.charAt(pos) != '(') {
                return new SourceType(word, List.of(), List.of(), List.of());
            }
            pos++; // '('
            return switch (word) {
                case "STRUCT" -> struct();
                case "MAP" -> {
                    SourceType key = type();
                    expect(',');
                    SourceType value = type();
                    expect(')');
                    yield new SourceType("MAP", List.of(), List.of(key, value), List.of());
                }
                default -> {
                    // DECIMAL(p,s); ENUM('a','b') and UNION(...) keep their name only, which no Quiver type accepts.
                    int depth = 1;
                    int argsStart = pos;
                    while (pos < s.length() && depth > 0) {
                        char ch = s.charAt(pos++);
                        depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
                    }
                    List<Integer> params = new ArrayList<>();
                    for (String arg : s.substring(argsStart, pos - 1).split(",")) {
                        if (arg.trim().matches("\\d+")) {
                            params.add(Integer.parseInt(arg.trim()));
                        }
                    }
                    yield new SourceType(word, params, List.of(), List.of());
                }
            };
        }

        private SourceType struct() {
            List<String> names = new ArrayList<>();
            List<SourceType> types = new ArrayList<>();
            while (true) {
                skipSpaces();
                names.add(fieldName());
                types.add(type());
                skipSpaces();
                char ch = s.charAt(pos++);
                if (ch == ')') {
                    return new SourceType("STRUCT", List.of(), types, names);
                }
                if (ch != ',') {
                    throw new IllegalArgumentException("expected ',' or ')' in struct type " + s);
                }
            }
        }

        private String fieldName() {
            if (s.charAt(pos) == '"') {
                StringBuilder name = new StringBuilder();
                pos++;
                while (true) {
                    char ch = s.charAt(pos++);
                    if (ch == '"') {
                        if (pos < s.length() && s.charAt(pos) == '"') {
                            name.append('"');
                            pos++;
                            continue;
                        }
                        return name.toString();
                    }
                    name.append(ch);
                }
            }
            int start = pos;
            while (pos < s.length() && !Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
            return s.substring(start, pos);
        }

        private void expect(char ch) {
            skipSpaces();
            if (pos >= s.length() || s.charAt(pos) != ch) {
                throw new IllegalArgumentException("expected '" + ch + "' at " + pos + " in type " + s);
            }
            pos++;
        }

        void skipSpaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }
    }
}
