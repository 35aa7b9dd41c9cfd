package io.quiver.security;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An API key: who it is for and what it may do; the secret only as its HMAC. */
@Entity
@Table(name = "qv_api_key")
public class ApiKeyRow extends PanacheEntityBase {

    @Id
    public String id;

    public String name;

    public String owner;

    /** Comma-separated team names (for per-group grants); null for none. */
    public String teams;

    /** Comma-separated role ids. */
    public String roles;

    @Column(name = "secret_hash")
    public String secretHash;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "rotated_at")
    public Instant rotatedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;
}
