package io.quiver.support;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An OIDC issuer of the tests' own: a key pair made at start, its public half served as a real JWKS over HTTP, and the
 * service pointed at it (no discovery: the JWKS path, issuer and audience are configured). Tests sign their tokens
 * with the private half, which reaches them as the configuration property {@code oidc-test.private-key} (PKCS#8,
 * base64), so that no state is shared between class loaders.
 */
public class OidcTestIssuer implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://issuer.quiver.test";
    public static final String AUDIENCE = "quiver";
    public static final String ROLE_CLAIM = "quiver_roles";
    public static final String KEY_ID = "test-key-1";

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            KeyPair pair = rsa();
            RSAPublicKey pub = (RSAPublicKey) pair.getPublic();
            String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + KEY_ID + "\",\"n\":\"" + b64(pub.getModulus())
                    + "\",\"e\":\"" + b64(pub.getPublicExponent()) + "\"}]}";
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/jwks", exchange -> {
                byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            return Map.of("quarkus.oidc.tenant-enabled", "true", "quarkus.oidc.auth-server-url", url,
                    "quarkus.oidc.discovery-enabled", "false", "quarkus.oidc.jwks-path", "jwks", "quarkus.oidc.token.issuer", ISSUER,
                    "quarkus.oidc.token.audience", AUDIENCE, "quarkus.oidc.roles.role-claim-path", ROLE_CLAIM,
                    "oidc-test.private-key", Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("could not start the test OIDC issuer", e);
        }
    }

    static KeyPair rsa() throws NoSuchAlgorithmException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static String b64(BigInteger n) {
        byte[] bytes = n.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
