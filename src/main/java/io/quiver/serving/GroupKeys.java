package io.quiver.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quiver.registry.model.EntityKeys;
import io.quiver.registry.model.GroupSchema;

/**
 * The requested entities' keys as one group version knows them: the typed values of its join keys, in key order,
 * and their stored text (what the online store keys records by), one of each per entity, in entity order.
 */
record GroupKeys(List<List<Object>> values, List<String> encoded) {

    static GroupKeys of(GroupSchema group, List<Map<String, Object>> typedEntities) {
        List<List<Object>> values = new ArrayList<>(typedEntities.size());
        List<String> encoded = new ArrayList<>(typedEntities.size());
        for (Map<String, Object> entity : typedEntities) {
            List<Object> key = group.group().entityKeys().stream().map(k -> entity.get(k.name())).toList();
            values.add(key);
            encoded.add(EntityKeys.encode(key));
        }
        return new GroupKeys(values, encoded);
    }
}
