/** Serving: resolves feature references and composes the stores to answer online and historical reads. */
package io.quiver.serving;
