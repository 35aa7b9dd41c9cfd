/** Virtual executor: DuckDB query templates over lake data with bound parameters. Empty until its issue. */
package io.quiver.virtual;
