package io.quiver.security;

import org.eclipse.microprofile.graphql.Description;

/** A key just created or rotated: its text, shown this once, and the key. */
@Description("A new key's text, shown this once: store it now, it cannot be read again")
public record CreatedApiKey(@Description("The key to send as Authorization: Bearer <key> or X-API-Key") String key, @Description("The key itself") ApiKey apiKey) {

    @Override
    public String toString() {
        return "CreatedApiKey[" + apiKey.id() + "]"; // never the key's text
    }
}
