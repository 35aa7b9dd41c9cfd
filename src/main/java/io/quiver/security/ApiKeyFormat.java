package io.quiver.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The text of an API key, {@code qvk_<id>_<secret>}: a 12-character id (lower-case letters and digits) that names the
 * key's row, and a secret of 32 to 128 URL-safe characters that is never stored, only its HMAC-SHA256 under the
 * server secret. Pure logic; no I/O.
 */
public final class ApiKeyFormat {

    static final String PREFIX = "qvk_";
    private static final Pattern KEY = Pattern.compile("qvk_([a-z0-9]{12})_([A-Za-z0-9_-]{32,128})");
    private static final char[] ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec serverSecret;

    /** @param serverSecret at least 32 characters */
    public ApiKeyFormat(String serverSecret) {
        if (serverSecret == null || serverSecret.length() < 32) {
            throw new IllegalArgumentException("the key secret (quiver.security.key-secret) must be at least 32 characters long");
        }
        this.serverSecret = new SecretKeySpec(serverSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** A key's two parts. */
    public record Parsed(String id, String secret) {
        @Override
        public String toString() {
            return "key " + id; // never the secret
        }
    }

    /** The key's parts, or null when the text is not a well-formed key. */
    public static Parsed parse(String key) {
        if (key == null) {
            return null;
        }
        Matcher m = KEY.matcher(key.trim());
        return m.matches() ? new Parsed(m.group(1), m.group(2)) : null;
    }

    /** Whether the text looks like one of our keys (so another mechanism, e.g. OIDC, can take the other bearer tokens). */
    public static boolean looksLikeKey(String token) {
        return token != null && token.startsWith(PREFIX);
    }

    /** A new key: a random id and a 256-bit random secret. */
    public static Parsed generate() {
        StringBuilder id = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            id.append(ID_CHARS[RANDOM.nextInt(ID_CHARS.length)]);
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return new Parsed(id.toString(), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    public static String text(Parsed key) {
        return PREFIX + key.id() + "_" + key.secret();
    }

    /** The stored form of a secret: hex HMAC-SHA256 under the server secret. */
    public String hash(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(serverSecret);
            return HexFormat.of().formatHex(mac.doFinal(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Compares a secret with a stored hash in constant time. */
    public boolean matches(String secret, String storedHash) {
        return MessageDigest.isEqual(hash(secret).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
