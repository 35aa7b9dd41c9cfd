package io.quiver.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The key format, hashing and role order, without a service. */
class ApiKeyFormatTest {

    private final ApiKeyFormat format = new ApiKeyFormat("s".repeat(32));

    @Test
    void generatedKeysParseBackAndOnlyTheirHashIsComparable() {
        ApiKeyFormat.Parsed key = ApiKeyFormat.generate();
        String text = ApiKeyFormat.text(key);
        assertThat(ApiKeyFormat.parse(text)).isEqualTo(key);
        assertThat(ApiKeyFormat.looksLikeKey(text)).isTrue();
        assertThat(key.toString()).doesNotContain(key.secret());
        String hash = format.hash(key.secret());
        assertThat(hash).hasSize(64).doesNotContain(key.secret());
        assertThat(format.matches(key.secret(), hash)).isTrue();
        assertThat(format.matches(key.secret() + "x", hash)).isFalse();
        // another server secret gives another hash: a changed secret invalidates every key
        assertThat(new ApiKeyFormat("t".repeat(32)).matches(key.secret(), hash)).isFalse();
        assertThat(ApiKeyFormat.generate()).isNotEqualTo(key);
    }

    @Test
    void malformedKeysAreRecognized() {
        assertThat(ApiKeyFormat.parse(null)).isNull();
        assertThat(ApiKeyFormat.parse("qvk_short_" + "a".repeat(40))).isNull();
        assertThat(ApiKeyFormat.parse("qvk_abcdefabcdef_tooshort")).isNull();
        assertThat(ApiKeyFormat.parse("xyz_abcdefabcdef_" + "a".repeat(40))).isNull();
        assertThat(ApiKeyFormat.parse("qvk_ABCDEFABCDEF_" + "a".repeat(40))).isNull();
        assertThat(ApiKeyFormat.parse("qvk_abcdefabcdef_" + "a_-".repeat(20))).isNotNull();
        assertThatThrownBy(() -> new ApiKeyFormat("short")).hasMessageContaining("at least 32 characters");
    }

    @Test
    void rolesIncludeTheOnesBelowThem() {
        assertThat(Role.ADMIN.includes(Role.WRITER)).isTrue();
        assertThat(Role.WRITER.includes(Role.READER)).isTrue();
        assertThat(Role.READER.includes(Role.WRITER)).isFalse();
        assertThat(Role.of("Writer")).isEqualTo(Role.WRITER);
        assertThat(Role.of("owner")).isNull();
        assertThat(new Caller("key:x", "ci", java.util.Set.of(Role.WRITER), java.util.Set.of(), false).may(Role.ADMIN)).isFalse();
        assertThat(new Caller("anonymous", null, java.util.Set.of(), java.util.Set.of(), true).may(Role.ADMIN)).isTrue();
    }

    @Test
    void bearerAndHeaderKeysAreRead() {
        assertThat(ApiKeyMechanism.key("k1", "Bearer k2")).isEqualTo("k1");
        assertThat(ApiKeyMechanism.key(null, "bearer  k2 ")).isEqualTo("k2");
        assertThat(ApiKeyMechanism.key(null, "Basic abc")).isNull();
        assertThat(ApiKeyMechanism.key(" ", null)).isNull();
    }
}
