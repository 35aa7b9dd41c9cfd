package io.quiver.registry.validation;

import java.util.List;
import java.util.Map;

import io.quiver.error.Violation;
import io.quiver.registry.model.DataSource;
import io.quiver.registry.model.JoinKey;
import io.quiver.registry.validation.ValidatedRegistration.GroupDraft;

/**
 * What only a query engine can tell about a group's template (the virtual executor implements it): whether it is
 * one read-only SELECT that reads nothing but its data sources, and whether its output columns are the group's keys,
 * timestamps and features with types that fit. Runs at registration, on the data sources' registered schemas,
 * without reading a file.
 */
public interface TemplateCheck {

    /**
     * @param path where the group is in the request, e.g. {@code groups[0]}
     * @param keys the group's key columns
     * @param sources the data sources the template reads, by name
     */
    List<Violation> check(String path, GroupDraft group, List<JoinKey> keys, Map<String, DataSource> sources);
}
