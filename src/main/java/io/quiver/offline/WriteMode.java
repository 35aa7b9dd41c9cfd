package io.quiver.offline;

import org.eclipse.microprofile.graphql.Description;

@Description("How a write combines with the data already stored")
public enum WriteMode {
    @Description("Add the rows to what is stored")
    APPEND,
    @Description("Replace everything stored for the group version with the rows")
    OVERWRITE
}
