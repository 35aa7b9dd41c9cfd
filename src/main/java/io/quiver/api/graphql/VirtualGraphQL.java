package io.quiver.api.graphql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;

import io.quiver.columnar.TempDirectory;
import io.quiver.registry.DataSourceRegistry;
import io.quiver.registry.EffectiveConfigResolver;
import io.quiver.registry.model.DataSource;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.spec.DataSourceSpec;
import io.quiver.virtual.DataSources;
import io.quiver.virtual.QueryExecutor;
import io.quiver.virtual.VirtualTables;
import io.quiver.security.Requires;
import io.quiver.security.Role;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/** GraphQL adapter for the virtual layer: lake data sources and virtual tables. */
@GraphQLApi
@TranslateErrors
public class VirtualGraphQL {

    private final DataSources dataSources;
    private final DataSourceRegistry registry;
    private final VirtualTables tables;
    private final EffectiveConfigResolver settings;

    public VirtualGraphQL(DataSources dataSources, DataSourceRegistry registry, VirtualTables tables, EffectiveConfigResolver settings) {
        this.dataSources = dataSources;
        this.registry = registry;
        this.tables = tables;
        this.settings = settings;
    }

    @Requires(Role.ADMIN)
    @Mutation("registerDataSource")
    @Description("Registers (or re-registers) lake data for virtual groups: the files under a prefix or matching a glob of the "
            + "object store, in one format. Their schema is read from a few of them; the answer shows it with the file count, "
            + "bytes, estimated rows and the version (which changes whenever the files do)")
    public @NonNull DataSource registerDataSource(@Description("The data source") @NonNull DataSourceSpec dataSource) {
        return dataSources.register(dataSource);
    }

    @Requires(Role.WRITER)
    @Mutation("refreshDataSource")
    @Description("Looks at a data source's files again: version, file count, bytes, schema and row estimate")
    public @NonNull DataSource refreshDataSource(@Description("Data source name") @NonNull String name) {
        return dataSources.refresh(name);
    }

    @Requires(Role.ADMIN)
    @Mutation("deleteDataSource")
    @Description("Forgets a data source (its files stay); refused while a group's query template reads it")
    public boolean deleteDataSource(@Description("Data source name") @NonNull String name) {
        dataSources.delete(name);
        return true;
    }

    @Requires(Role.READER)
    @Query("dataSources")
    @Description("Every registered data source, by name")
    public @NonNull List<@NonNull DataSource> dataSources() {
        return registry.all();
    }

    @Requires(Role.READER)
    @Query("dataSource")
    @Description("One data source by name")
    public @NonNull DataSource dataSource(@Description("Data source name") @NonNull String name) {
        return registry.get(name);
    }

    @Name("VirtualTable")
    @Description("A virtual group queried as a table")
    public record VirtualTableInfo(@Description("Table name: <virtual_table_prefix><group>") String name,
            @Description("The group") String group, @Description("Its version (the latest)") int version,
            @Description("Columns: keys, timestamps, features") List<ColumnInfo> columns) {
    }

    @Name("VirtualTableColumn")
    @Description("A column of a virtual table")
    public record ColumnInfo(@Description("Column name") String name, @Description("Type expression") String type) {
    }

    @Requires(Role.READER)
    @Query("virtualTables")
    @Description("Every virtual table: the latest version of each group with a query template, when register_virtual_tables")
    public @NonNull List<@NonNull VirtualTableInfo> virtualTables() {
        return tables.list().stream().map(VirtualGraphQL::info).toList();
    }

    @Input("PredicateInput")
    @Description("A condition on one column, e.g. {column: \"amount\", op: GT, values: [100]}")
    public record PredicateInput(@Description("Column") @NonNull String column, @Description("Comparison") @NonNull QueryExecutor.Operator op,
            @Description("The value (IN: the values; IS_NULL, IS_NOT_NULL: none)") List<JsonValue> values) {
    }

    @Input("OrderInput")
    @Description("A sort key")
    public record OrderInput(@Description("Column") @NonNull String column, @Description("Largest first") @DefaultValue("false") boolean descending) {
    }

    @Requires(Role.READER)
    @Query("queryVirtualTable")
    @Description("Queries a virtual table (the seeds' query_via_virtual_layer): rows of the group's template where every predicate "
            + "holds (bound and pushed into the scan), sorted, at most limit. Columns are checked against the table's")
    public @NonNull List<@NonNull JsonObject> queryVirtualTable(@Description("Table name, see virtualTables") @NonNull String table,
            @Description("Conditions, all of which must hold") List<PredicateInput> predicates,
            @Description("Columns to return; omit for all") List<String> columns,
            @Description("Sort keys") List<OrderInput> orderBy,
            @Description("At most this many rows (1 to quiver.virtual.max-table-rows)") @DefaultValue("100") int limit) {
        List<VirtualTables.Condition> conditions = new ArrayList<>();
        for (PredicateInput p : predicates == null ? List.<PredicateInput>of() : predicates) {
            List<Object> values = p.values() == null ? List.of() : JsonRows.toValues(p.values());
            conditions.add(new VirtualTables.Condition(p.column(), p.op(), values));
        }
        List<QueryExecutor.Order> order = orderBy == null ? List.of()
                : orderBy.stream().map(o -> new QueryExecutor.Order(o.column(), o.descending())).toList();
        try (TempDirectory dir = new TempDirectory("quiver-table")) {
            VirtualTables.Result result = tables.query(table, new VirtualTables.Request(columns, conditions, order, limit), dir.path());
            return JsonRows.toJson(tables.rows(result));
        }
    }

    @Name("virtualTable")
    @NonBlocking
    @Description("The group's virtual table name, when it has a query template and register_virtual_tables; null otherwise")
    public List<String> virtualTable(@Source List<FeatureGroup> groups) {
        return groups.stream().map(g -> settings.virtualTable(g).orElse(null)).toList();
    }

    private static VirtualTableInfo info(VirtualTables.Table t) {
        return new VirtualTableInfo(t.name(), t.group(), t.version(),
                t.columns().entrySet().stream().map((Map.Entry<String, io.quiver.registry.model.FeatureDataType> e) -> new ColumnInfo(e.getKey(),
                        e.getValue().toString())).toList());
    }
}
