package io.quiver.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quiver.support.OidcTestIssuer;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * OIDC bearer tokens next to API keys, against an issuer of the test's own (a real JWKS over HTTP): a valid token's
 * roles claim decides what it may do; tokens with a wrong issuer, audience, signature or expiry are refused; API keys
 * keep working as bearer tokens too.
 */
@QuarkusTest
@TestProfile(OidcTest.Secured.class)
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcTestIssuer.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class OidcTest {

    static final String ADMIN = "qvk_oidcadmin001_" + "c".repeat(40);

    public static class Secured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quiver.security.open", "false", "quiver.security.key-secret", "oidc-test-secret-0123456789-0123456789",
                    "quiver.security.bootstrap-admin-key", ADMIN);
        }
    }

    @ConfigProperty(name = "oidc-test.private-key")
    String privateKey;

    private String token(String issuer, String audience, List<String> roles, Instant expires, PrivateKey key) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject("ada");
        claims.setClaim("upn", "ada@example.com");
        claims.setIssuedAt(NumericDate.fromSeconds(Instant.now().minusSeconds(60).getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(expires.getEpochSecond()));
        claims.setStringListClaim(OidcTestIssuer.ROLE_CLAIM, roles);
        claims.setStringListClaim("groups", List.of("fraud", "ops")); // the default team claim: owner teams and grants name these
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setKeyIdHeaderValue(OidcTestIssuer.KEY_ID);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private PrivateKey issuerKey() throws Exception {
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privateKey)));
    }

    private String valid(List<String> roles) throws Exception {
        return token(OidcTestIssuer.ISSUER, OidcTestIssuer.AUDIENCE, roles, Instant.now().plusSeconds(300), issuerKey());
    }

    private static io.restassured.response.Response post(String bearer, String document) {
        Map<String, Object> body = new HashMap<>();
        body.put("query", document);
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + bearer).body(body).when().post("/graphql");
    }

    static final String ME = "{ me { principal name roles teams } }";
    static final String REGISTER_ENTITY = "mutation { register(entities: [{name: \"oidc_customer\", joinKeys: [{name: \"customer_id\", type: \"BIGINT\"}]}]) { entities { action } } }";

    @Test
    void aValidTokensRolesDecideWhatItMayDo() throws Exception {
        String reader = valid(List.of("reader"));
        JsonPath me = post(reader, ME).then().statusCode(200).extract().jsonPath();
        assertThat(me.getList("errors")).isNull();
        assertThat(me.getString("data.me.principal")).isEqualTo("oidc:ada@example.com");
        assertThat(me.getList("data.me.roles")).containsExactly("READER");
        assertThat(me.getList("data.me.teams")).containsExactly("fraud", "ops");
        JsonPath denied = post(reader, REGISTER_ENTITY).then().statusCode(200).extract().jsonPath();
        assertThat(denied.getString("errors[0].extensions.code")).isEqualTo("FORBIDDEN");
        assertThat(denied.getString("errors[0].message")).contains("needs the admin role").contains("oidc:ada@example.com");

        JsonPath registered = post(valid(List.of("admin")), REGISTER_ENTITY).then().statusCode(200).extract().jsonPath();
        assertThat(registered.getList("errors")).isNull();
        // the audit trail names the token's subject
        JsonPath audit = post(ADMIN, "{ auditLog(filter: {action: \"REGISTER\", principal: \"oidc:ada@example.com\"}, first: 5) { principal target } }")
                .then().statusCode(200).extract().jsonPath();
        assertThat(audit.getList("data.auditLog.target")).isNotEmpty();
        // an API key still works as a bearer token next to OIDC
        assertThat(post(ADMIN, ME).then().statusCode(200).extract().jsonPath().getString("data.me.principal")).isEqualTo("key:oidcadmin001");
    }

    @Test
    void tokensThatDoNotVerifyAreRefusedSayingSo() throws Exception {
        Instant later = Instant.now().plusSeconds(300);
        PrivateKey stranger = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                java.security.KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate().getEncoded()));
        Map<String, String> bad = Map.of(
                "wrong issuer", token("https://elsewhere.test", OidcTestIssuer.AUDIENCE, List.of("admin"), later, issuerKey()),
                "wrong audience", token(OidcTestIssuer.ISSUER, "another-service", List.of("admin"), later, issuerKey()),
                "wrong signature", token(OidcTestIssuer.ISSUER, OidcTestIssuer.AUDIENCE, List.of("admin"), later, stranger),
                "expired", token(OidcTestIssuer.ISSUER, OidcTestIssuer.AUDIENCE, List.of("admin"), Instant.now().minusSeconds(600), issuerKey()),
                "not a token", "not.a.jwt");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            io.restassured.response.Response r = post(e.getValue(), ME);
            assertThat(r.statusCode()).as(e.getKey()).isIn(200, 401);
            JsonPath json = r.jsonPath();
            assertThat(json.getString("errors[0].extensions.code")).as(e.getKey()).isEqualTo("UNAUTHENTICATED");
            assertThat(json.getString("errors[0].message")).as(e.getKey()).contains("bearer token");
        }
        // REST answers with a problem document and a challenge
        given().header("Authorization", "Bearer " + bad.get("expired")).when().get("/api/v1/feature-groups/x").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer").contentType("application/problem+json")
                .body("code", org.hamcrest.Matchers.equalTo("UNAUTHENTICATED"));
    }
}
