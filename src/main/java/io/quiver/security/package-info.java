/**
 * Who may do what: API keys (hashed with a server secret, verified as a Quarkus authentication mechanism), the roles
 * reader, writer and admin, the check every API operation declares with {@link io.quiver.security.Requires}, and the
 * open mode of the embedded default.
 */
package io.quiver.security;
