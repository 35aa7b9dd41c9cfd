package io.quiver.registry.spec;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

@Input("JoinKeyInput")
@Description("A join key column")
public record JoinKeySpec(
        @Description("Column name") String name,
        @Description("Value type: INT, BIGINT or STRING") String type) {
}
