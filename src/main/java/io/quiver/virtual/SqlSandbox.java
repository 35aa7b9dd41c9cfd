package io.quiver.virtual;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.quiver.json.JsonPolicy;

/**
 * Reads a template's SQL the way DuckDB parses it ({@code json_serialize_sql}, which also refuses anything but a
 * SELECT) and lists what a template may not do: more than one statement, a table it was not given (only the data
 * sources' relations and its own CTEs), a table function (reading files, globs, settings or catalogs), or a function
 * that reads the environment or settings. DuckDB's sandbox settings stop the same things at run time; this check
 * makes them clear errors at registration.
 */
final class SqlSandbox {

    /** Table functions a template may use: they generate rows and touch nothing. */
    private static final Set<String> ALLOWED_TABLE_FUNCTIONS = Set.of("range", "generate_series", "unnest");
    /** Scalar functions that read the environment or the engine's settings. */
    private static final Set<String> DENIED_FUNCTIONS = Set.of("getenv", "current_setting", "which_secret", "read_text", "read_blob",
            "load_extension", "install_extension", "checkpoint", "force_checkpoint");
    private static final List<String> DENIED_PREFIXES = List.of("read_", "parquet_", "duckdb_", "pragma_", "sqlite_", "postgres_",
            "mysql_", "iceberg_", "delta_", "glob", "sniff_", "query", "export_", "import_");

    private SqlSandbox() {
    }

    /** @param tables the relation names the SQL may read (the data sources' placeholders) */
    static List<String> problems(Connection c, String sql, Set<String> tables) throws SQLException {
        return problems(c, sql, tables, Set.of());
    }

    /**
     * @param denied more function names the engine that runs the template may not be given (Spark's reflection and
     *        file functions, say)
     */
    static List<String> problems(Connection c, String sql, Set<String> tables, Set<String> denied) throws SQLException {
        JsonNode tree;
        try (PreparedStatement s = c.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            s.setString(1, sql);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                tree = JsonPolicy.shared().readTree(r.getString(1));
            }
        } catch (JsonProcessingException e) {
            return List.of("the template could not be read");
        }
        if (tree.path("error").asBoolean(false)) {
            String message = tree.path("error_message").asText("it does not parse");
            if (message.contains("Only SELECT")) {
                return List.of("a template must be a single read-only SELECT (or WITH ... SELECT)");
            }
            return List.of("it does not parse: " + message);
        }
        JsonNode statements = tree.path("statements");
        if (!statements.isArray() || statements.size() != 1) {
            return List.of("a template must be a single read-only SELECT, not " + statements.size() + " statements");
        }
        Set<String> allowed = new HashSet<>();
        tables.forEach(t -> allowed.add(t.toLowerCase(Locale.ROOT)));
        collectCteNames(statements, allowed);
        List<String> problems = new ArrayList<>();
        walk(statements, allowed, denied, problems);
        return problems;
    }

    private static void collectCteNames(JsonNode node, Set<String> into) {
        if (node.isObject()) {
            JsonNode map = node.path("cte_map").path("map");
            if (map.isArray()) {
                map.forEach(e -> into.add(e.path("key").asText().toLowerCase(Locale.ROOT)));
            }
        }
        node.forEach(child -> collectCteNames(child, into));
    }

    private static void walk(JsonNode node, Set<String> tables, Set<String> denied, List<String> problems) {
        if (node.isObject()) {
            String type = node.path("type").asText("");
            if (type.equals("BASE_TABLE")) {
                String table = node.path("table_name").asText("").toLowerCase(Locale.ROOT);
                boolean qualified = !node.path("schema_name").asText("").isEmpty() || !node.path("catalog_name").asText("").isEmpty();
                if (qualified || !tables.contains(table)) {
                    problems.add("it reads the table '" + node.path("table_name").asText() + "', which is not a data source; read data "
                            + "sources as {{layer.name}}");
                }
            } else if (type.equals("TABLE_FUNCTION")) {
                String name = node.path("function").path("function_name").asText("").toLowerCase(Locale.ROOT);
                if (!ALLOWED_TABLE_FUNCTIONS.contains(name)) {
                    problems.add("it calls the table function '" + name + "', which may read files or settings; read data sources as "
                            + "{{layer.name}}");
                }
            }
            if (node.has("function_name") && !type.equals("TABLE_FUNCTION")) {
                String name = node.path("function_name").asText("").toLowerCase(Locale.ROOT);
                if (DENIED_FUNCTIONS.contains(name) || denied.contains(name) || DENIED_PREFIXES.stream().anyMatch(name::startsWith)) {
                    problems.add("it calls '" + name + "', which reads files, the environment or settings; templates may only compute "
                            + "over data sources");
                }
            }
            for (Iterator<JsonNode> it = node.elements(); it.hasNext();) {
                walk(it.next(), tables, denied, problems);
            }
        } else if (node.isArray()) {
            node.forEach(child -> walk(child, tables, denied, problems));
        }
    }
}
