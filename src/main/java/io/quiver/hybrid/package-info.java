/**
 * Hybrid selector: decides per HYBRID group whether reads are served MATERIALIZED or VIRTUALIZED, from access
 * metrics, by a cost model ({@link io.quiver.hybrid.CostModel}); fills stored data before reads switch to it; honours
 * overrides; recommends for every group. docs/architecture.md ("Hybrid selector") has the model as a table.
 */
package io.quiver.hybrid;
