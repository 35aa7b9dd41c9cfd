/** Virtual executor: DuckDB query templates over lake data with bound parameters, sandboxed. */
package io.quiver.virtual;
