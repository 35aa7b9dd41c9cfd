-- API keys: the secret is never stored, only its HMAC-SHA256 under the server secret (quiver.security.key-secret).
CREATE TABLE qv_api_key (
    id           VARCHAR(12) PRIMARY KEY,
    name         VARCHAR(100) NOT NULL,
    owner        VARCHAR(100),
    roles        VARCHAR(100) NOT NULL,
    secret_hash  VARCHAR(64) NOT NULL,
    created_by   VARCHAR(200),
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE,
    rotated_at   TIMESTAMP WITH TIME ZONE,
    revoked_at   TIMESTAMP WITH TIME ZONE,
    last_used_at TIMESTAMP WITH TIME ZONE
);
