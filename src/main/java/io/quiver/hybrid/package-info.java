/** Hybrid selector: picks MATERIALIZED or VIRTUALIZED per hybrid group from access metrics. Empty until its issue. */
package io.quiver.hybrid;
