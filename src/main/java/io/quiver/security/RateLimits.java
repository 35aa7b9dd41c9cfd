package io.quiver.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.quiver.config.QuiverConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Per-caller request limits on this replica (resilience4j's rate limiter, one per caller): a caller is the key a
 * request presents (by a digest of its whole text, so nobody can use up another key's allowance without its secret,
 * and checked before the key is verified, so a flood costs no registry lookups) or, without a key, the client
 * address. Limiters of callers idle for ten minutes are dropped.
 */
@ApplicationScoped
public class RateLimits {

    private final int limit;
    /** Whole seconds until an allowance surely refills: the period, rounded up. */
    private final long retryAfter;
    private final LoadingCache<String, RateLimiter> limiters;

    public RateLimits(QuiverConfig config) {
        this.limit = config.security().rateLimit();
        this.retryAfter = Math.max(1, (config.security().rateLimitPeriod().toMillis() + 999) / 1000);
        RateLimiterConfig perCaller = RateLimiterConfig.custom().limitForPeriod(Math.max(1, limit))
                .limitRefreshPeriod(config.security().rateLimitPeriod()).timeoutDuration(Duration.ZERO).build();
        this.limiters = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000)
                .build(caller -> RateLimiter.of("caller", perCaller));
    }

    /**
     * Takes one request from the caller's allowance.
     *
     * @param key the API key the request presents, or null
     * @param address the client address, for requests without a key
     * @return 0 when the request may go on, else the whole seconds to wait (at least 1)
     */
    public long acquire(String key, String address) {
        if (limit <= 0) {
            return 0;
        }
        RateLimiter limiter = limiters.get(key != null ? "key:" + digest(key) : "address:" + address);
        if (limiter.acquirePermission()) {
            return 0;
        }
        return retryAfter;
    }

    private static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
