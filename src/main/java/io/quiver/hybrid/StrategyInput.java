package io.quiver.hybrid;

import org.eclipse.microprofile.graphql.Description;

/** One named input of the cost model. */
@Description("One named input of the hybrid cost model, as text (numbers in JSON notation)")
public record StrategyInput(@Description("Input name, e.g. readsPerHour") String name, @Description("Its value") String value) {
}
