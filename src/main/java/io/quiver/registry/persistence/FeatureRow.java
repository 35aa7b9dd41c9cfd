package io.quiver.registry.persistence;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.hibernate.annotations.Fetch;
import org.hibernate.annotations.FetchMode;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.FeatureType;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import io.quiver.json.Json;

@Entity
@Table(name = "qv_feature")
public class FeatureRow extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "group_id")
    public long groupId;

    public int position;
    public String name;

    /** Base type, kept apart from the expression so listings can filter on it. */
    @Column(name = "data_type")
    @Enumerated(EnumType.STRING)
    public DataType dataType;

    @Column(name = "type_expr")
    public String typeExpression;

    @Column(name = "feature_type")
    @Enumerated(EnumType.STRING)
    public FeatureType featureType;

    public String description;
    public boolean nullable;

    @Column(name = "default_value")
    public String defaultValue;

    @Column(name = "allowed_values")
    @Convert(converter = Json.StringListConverter.class)
    public List<String> allowedValues;

    @Column(name = "min_value")
    public Double minValue;

    @Column(name = "max_value")
    public Double maxValue;

    public String unit;

    /** With the group's per-feature source: the SQL expression computing this feature. */
    public String expression;

    @Convert(converter = Json.StringMapConverter.class)
    public Map<String, String> config;

    @ElementCollection
    @CollectionTable(name = "qv_feature_tag", joinColumns = @JoinColumn(name = "feature_id"))
    @Column(name = "tag")
    @Fetch(FetchMode.SUBSELECT)
    public Set<String> tags = new HashSet<>();

    @ElementCollection
    @CollectionTable(name = "qv_lineage", joinColumns = @JoinColumn(name = "feature_id"))
    @Fetch(FetchMode.SUBSELECT)
    public Set<LineageSource> sources = new HashSet<>();

    public Feature toModel(String groupName, int groupVersion) {
        List<String> featureSources = sources.stream().filter(s -> s.kind == LineageSource.Kind.FEATURE)
                .map(s -> s.ref).sorted().toList();
        List<String> datasetSources = sources.stream().filter(s -> s.kind == LineageSource.Kind.DATASET)
                .map(s -> s.ref).sorted().toList();
        return new Feature(id, groupId, groupName, groupVersion, name, FeatureDataType.parse(typeExpression),
                featureType, description, nullable, defaultValue, allowedValues, minValue, maxValue, unit,
                tags.stream().sorted().toList(), FeatureGroupRow.configOverrides(config), featureSources,
                datasetSources, expression);
    }
}
