package io.quiver.registry.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quiver.json.Json;
import io.quiver.registry.model.DataSource;
import io.quiver.registry.model.KeyValue;
import io.quiver.registry.model.Layer;
import io.quiver.registry.model.SourceColumn;
import io.quiver.registry.model.SourceFormat;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A registered lake data source. */
// Json reads and writes the columns document with JsonPolicy.shared(), outside Quarkus' view
@RegisterForReflection(targets = SourceColumn.class, registerFullHierarchy = true)
@Entity
@Table(name = "qv_data_source")
public class DataSourceRow extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;

    @Enumerated(EnumType.STRING)
    public Layer layer;

    public String location;

    @Enumerated(EnumType.STRING)
    public SourceFormat format;

    @Convert(converter = Json.StringMapConverter.class)
    public Map<String, String> options;

    @Column(name = "columns_json")
    public String columns;

    public int files;
    public long bytes;

    @Column(name = "row_estimate")
    public long rowEstimate;

    public String version;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "refreshed_at")
    public Instant refreshedAt;

    DataSource toModel() {
        List<SourceColumn> cols = Json.read(columns, new TypeReference<List<SourceColumn>>() {
        });
        return new DataSource(id, name, layer, location, format,
                options.entrySet().stream().map(e -> new KeyValue(e.getKey(), e.getValue())).toList(), cols, files, bytes,
                rowEstimate, version, createdAt, refreshedAt);
    }

    void apply(DataSource s) {
        name = s.name();
        layer = s.layer();
        location = s.location();
        format = s.format();
        Map<String, String> o = new java.util.LinkedHashMap<>();
        s.options().forEach(kv -> o.put(kv.key(), kv.value()));
        options = o;
        columns = Json.write(s.columns());
        files = s.files();
        bytes = s.bytes();
        rowEstimate = s.rowEstimate();
        version = s.version();
        refreshedAt = s.refreshedAt();
    }
}
