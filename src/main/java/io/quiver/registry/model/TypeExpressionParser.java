package io.quiver.registry.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.quiver.error.Suggestions;

/**
 * Recursive-descent parser for type expressions. Grammar (case-insensitive type names, spaces ignored):
 *
 * <pre>
 * type   := SCALAR | DECIMAL [ '(' int ',' int ')' ] | ARRAY '&lt;' type '&gt;'
 *         | MAP '&lt;' keytype ',' type '&gt;' | STRUCT '&lt;' field { ',' field } '&gt;'
 * field  := name ':' type
 * </pre>
 *
 * Errors are {@link IllegalArgumentException}s whose message is fit to show a user.
 */
public final class TypeExpressionParser {

    private final String text;
    private int pos;

    private TypeExpressionParser(String text) {
        this.text = text;
    }

    public static FeatureDataType parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("a type is required, e.g. DOUBLE, DECIMAL(12,2), ARRAY<FLOAT>");
        }
        TypeExpressionParser parser = new TypeExpressionParser(expression);
        FeatureDataType type = parser.type();
        parser.skipSpaces();
        if (parser.pos != parser.text.length()) {
            throw parser.error("unexpected '" + parser.text.substring(parser.pos) + "'");
        }
        return type;
    }

    private FeatureDataType type() {
        String word = word();
        DataType base;
        try {
            base = DataType.valueOf(word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = java.util.Arrays.stream(DataType.values()).map(Enum::name).toList();
            String hint = Suggestions.closest(word.toUpperCase(Locale.ROOT), names)
                    .map(s -> " Did you mean " + s + "?").orElse("");
            throw new IllegalArgumentException("unknown data type '" + word + "'; expected one of "
                    + String.join(", ", names) + "." + hint);
        }
        return switch (base) {
            case DECIMAL -> decimal();
            case ARRAY -> {
                expect('<', "ARRAY needs an element type, e.g. ARRAY<DOUBLE>");
                FeatureDataType element = type();
                expect('>', "ARRAY<...> is not closed");
                yield FeatureDataType.array(element);
            }
            case MAP -> {
                expect('<', "MAP needs key and value types, e.g. MAP<STRING,DOUBLE>");
                FeatureDataType key = type();
                if (!key.base().isKeyType()) {
                    throw error("MAP keys must be INT, BIGINT or STRING, not " + key);
                }
                expect(',', "MAP needs key and value types, e.g. MAP<STRING,DOUBLE>");
                FeatureDataType value = type();
                expect('>', "MAP<...> is not closed");
                yield FeatureDataType.map(key, value);
            }
            case STRUCT -> struct();
            default -> {
                if (peek() == '<' || peek() == '(') {
                    throw error(base + " takes no parameters");
                }
                yield FeatureDataType.scalar(base);
            }
        };
    }

    private FeatureDataType decimal() {
        if (peek() != '(') {
            return FeatureDataType.scalar(DataType.DECIMAL);
        }
        expect('(', "");
        int precision = number();
        expect(',', "DECIMAL needs precision and scale, e.g. DECIMAL(12,2)");
        int scale = number();
        expect(')', "DECIMAL(...) is not closed");
        if (precision < 1 || precision > FeatureDataType.MAX_DECIMAL_PRECISION || scale > precision) {
            throw error("DECIMAL(" + precision + "," + scale + ") is out of range: precision 1..38, scale 0..precision");
        }
        return FeatureDataType.decimal(precision, scale);
    }

    private FeatureDataType struct() {
        expect('<', "STRUCT needs fields, e.g. STRUCT<city:STRING,zip:INT>");
        List<FeatureDataType.StructField> fields = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        do {
            String name = word();
            if (!Names.isValid(name)) {
                throw error("STRUCT field name '" + name + "' must match " + Names.PATTERN_TEXT);
            }
            if (!seen.add(name)) {
                throw error("STRUCT field '" + name + "' appears twice");
            }
            expect(':', "STRUCT fields are written name:TYPE");
            fields.add(new FeatureDataType.StructField(name, type()));
        } while (accept(','));
        expect('>', "STRUCT<...> is not closed");
        return FeatureDataType.struct(fields);
    }

    private String word() {
        skipSpaces();
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        if (start == pos) {
            throw error(pos < text.length() ? "expected a name at '" + text.substring(pos) + "'" : "expected a type name");
        }
        return text.substring(start, pos);
    }

    private int number() {
        String word = word();
        try {
            return Integer.parseInt(word);
        } catch (NumberFormatException e) {
            throw error("'" + word + "' is not a number");
        }
    }

    private char peek() {
        skipSpaces();
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private boolean accept(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c, String message) {
        if (!accept(c)) {
            throw error(message.isEmpty() ? "expected '" + c + "'" : message);
        }
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException("invalid type '" + text + "': " + message);
    }
}
