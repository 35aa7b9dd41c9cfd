/** Ingest: validated writes of feature data (GraphQL and bulk Arrow/Parquet REST). Empty until its issue. */
package io.quiver.ingest;
