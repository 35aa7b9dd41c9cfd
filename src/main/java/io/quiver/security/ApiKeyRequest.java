package io.quiver.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API key a request sent, to be verified by {@link ApiKeyIdentityProvider}. */
public class ApiKeyRequest extends BaseAuthenticationRequest {

    private final String key;

    public ApiKeyRequest(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }

    @Override
    public String toString() {
        return "ApiKeyRequest"; // never the key
    }
}
