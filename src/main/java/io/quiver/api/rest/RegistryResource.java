package io.quiver.api.rest;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.model.Feature;
import io.quiver.registry.FeatureResolver;
import io.quiver.registry.RegistryCatalog;
import io.quiver.security.Requires;
import io.quiver.security.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Read-only REST view of the registry, for clients that do not speak GraphQL (model servers, scripts). */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class RegistryResource {

    private final RegistryCatalog catalog;
    private final FeatureResolver resolver;

    private final io.quiver.registry.GroupGate gate;

    public RegistryResource(RegistryCatalog catalog, FeatureResolver resolver, io.quiver.registry.GroupGate gate) {
        this.gate = gate;
        this.catalog = catalog;
        this.resolver = resolver;
    }

    @Requires(Role.READER)
    @GET
    @Path("/feature-groups/{name}")
    @Operation(summary = "A feature group version with its features; the latest unless ?version= is given")
    public GroupView group(@PathParam("name") String name, @QueryParam("version") Integer version) {
        gate.check(name, io.quiver.registry.model.GroupAction.READ);
        GroupSchema schema = catalog.group(name, version == null ? 0 : version);
        return new GroupView(schema);
    }

    @Requires(Role.READER)
    @GET
    @Path("/features/{reference}")
    @Operation(summary = "One feature by reference: group.feature, group:feature or group@2.feature")
    public Feature feature(@PathParam("reference") String reference) {
        return resolver.resolve(reference).feature();
    }

    /** JSON shape of a group with its features. */
    public record GroupView(io.quiver.registry.model.FeatureGroup group, java.util.List<Feature> features) {
        GroupView(GroupSchema schema) {
            this(schema.group(), schema.features());
        }
    }
}
