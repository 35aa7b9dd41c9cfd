package io.quiver.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quiver.registry.model.GroupAction;

/** Who may read and write which group, from grants and owner teams: the rules without a database. */
class GroupPolicyTest {

    static final Caller READER_A = new Caller("key:aaaaaaaaaaaa", "a", Set.of(Role.READER), Set.of("fraud"), false);
    static final Caller WRITER_B = new Caller("key:bbbbbbbbbbbb", "b", Set.of(Role.WRITER), Set.of("growth"), false);
    static final Caller ADMIN = new Caller("key:cccccccccccc", "c", Set.of(Role.ADMIN), Set.of(), false);
    static final Caller OPEN = new Caller("anonymous", null, Set.of(Role.values()), Set.of(), true);

    static Grant grant(String name, String groups, List<String> tags, List<String> principals, List<String> teams, GroupAction action) {
        return new Grant(name, groups, tags, principals, teams, action, "key:cccccccccccc", Instant.EPOCH);
    }

    static boolean may(GroupPolicy p, Caller c, String group, List<String> tags, GroupAction a) {
        return p.decide(c, group, tags, a).allowed();
    }

    @Test
    void withoutGrantsOrOwnersTheRoleDecides() {
        GroupPolicy p = new GroupPolicy(List.of(), Map.of(), false);
        assertThat(may(p, READER_A, "anything", List.of(), GroupAction.READ)).isTrue();
        assertThat(may(p, WRITER_B, "anything", List.of(), GroupAction.WRITE)).isTrue();
    }

    @Test
    void anOwnerTeamRestrictsTheGroupToItsMembers() {
        GroupPolicy p = new GroupPolicy(List.of(), Map.of("scores", "fraud"), false);
        assertThat(may(p, READER_A, "scores", List.of(), GroupAction.READ)).isTrue();
        assertThat(may(p, WRITER_B, "scores", List.of(), GroupAction.READ)).isFalse();
        assertThat(may(p, WRITER_B, "other", List.of(), GroupAction.WRITE)).as("other groups stay open").isTrue();
        assertThat(may(p, ADMIN, "scores", List.of(), GroupAction.WRITE)).isTrue();
        assertThat(may(p, OPEN, "scores", List.of(), GroupAction.WRITE)).isTrue();
        GroupPolicy.Decision no = p.decide(WRITER_B, "scores", List.of(), GroupAction.READ);
        assertThat(no.missing()).contains("may not read feature group 'scores'").contains("belongs to another team").doesNotContain("fraud").contains("growth")
                .contains("grantAccess");
    }

    @Test
    void grantsMatchByPatternAndEveryTagAndGiveWhatTheySay() {
        GroupPolicy p = new GroupPolicy(List.of(
                grant("fraud-read", "fraud_*", List.of("pii"), List.of(), List.of("growth"), GroupAction.READ),
                grant("b-writes", "fraud_?", List.of(), List.of("key:bbbbbbbbbbbb"), List.of(), GroupAction.WRITE)), Map.of(), false);
        // covered by the first grant (name and tag): growth may read, not write; others nothing
        assertThat(may(p, WRITER_B, "fraud_scores", List.of("pii", "daily"), GroupAction.READ)).isTrue();
        assertThat(may(p, WRITER_B, "fraud_scores", List.of("pii"), GroupAction.WRITE)).isFalse();
        assertThat(p.decide(WRITER_B, "fraud_scores", List.of("pii"), GroupAction.WRITE).missing()).contains("a grant lets it read only").doesNotContain("fraud-read");
        assertThat(may(p, READER_A, "fraud_scores", List.of("pii"), GroupAction.READ)).isFalse();
        // without the tag the first grant does not cover it, and nothing else does: open to the role
        assertThat(may(p, READER_A, "fraud_scores", List.of(), GroupAction.READ)).isTrue();
        // '?' is one character: fraud_x is covered by the second grant, which names b by principal; WRITE includes READ
        assertThat(may(p, WRITER_B, "fraud_x", List.of(), GroupAction.WRITE)).isTrue();
        assertThat(may(p, WRITER_B, "fraud_x", List.of(), GroupAction.READ)).isTrue();
        assertThat(may(p, READER_A, "fraud_x", List.of(), GroupAction.READ)).isFalse();
        // patterns are whole-name and literal apart from * and ?
        assertThat(may(p, READER_A, "xfraud_x", List.of(), GroupAction.READ)).isTrue();
    }

    @Test
    void requiringGrantsClosesEveryGroupButToAdminsOwnersAndGrantees() {
        GroupPolicy p = new GroupPolicy(List.of(grant("g", "shared", List.of(), List.of(), List.of("fraud"), GroupAction.READ)),
                Map.of("mine", "growth"), true);
        assertThat(may(p, READER_A, "other", List.of(), GroupAction.READ)).isFalse();
        assertThat(p.decide(READER_A, "other", List.of(), GroupAction.READ).missing()).contains("every group needs a grant");
        assertThat(may(p, READER_A, "shared", List.of(), GroupAction.READ)).isTrue();
        assertThat(may(p, WRITER_B, "mine", List.of(), GroupAction.WRITE)).isTrue();
        assertThat(may(p, ADMIN, "other", List.of(), GroupAction.WRITE)).isTrue();
    }
}
