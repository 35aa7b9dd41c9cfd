package io.quiver.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void quiverFailuresPassThroughEvenWhenWrapped() {
        QuiverException own = new InvalidArgumentException("bad");
        assertThat(Failures.classify(own)).isSameAs(own);
        assertThat(Failures.classify(new RuntimeException("wrapper", own))).isSameAs(own);
    }

    @Test
    void anUnreachableDatabaseIsRegistryUnavailable() {
        SQLException refused = new SQLException("Connection refused", "08001");
        QuiverException q = Failures.classify(new IllegalStateException("tx failed", new RuntimeException(refused)));
        assertThat(q.code()).isEqualTo(ErrorCode.FEATURE_REGISTRY_UNAVAILABLE);
        assertThat(q.getMessage()).contains("retry shortly").doesNotContain("Connection refused");
        assertThat(q.getCause()).isNotNull();

        assertThat(Failures.classify(new RuntimeException(new SQLException("Acquisition timeout while waiting for new connection")))
                .code()).isEqualTo(ErrorCode.FEATURE_REGISTRY_UNAVAILABLE);
    }

    @Test
    void aConnectionFailureReportedAsASuppressedExceptionOfAFailedCommitIsRegistryUnavailable() {
        // how Narayana reports a commit whose connection dropped: RollbackException, the driver's error suppressed
        RuntimeException rollback = new RuntimeException("ARJUNA016053: Could not commit transaction.");
        Exception xa = new Exception("Error trying to transactionCommit local transaction", new SQLException("I/O error", "08006"));
        rollback.addSuppressed(xa);
        assertThat(Failures.classify(new RuntimeException("Error invoking subclass method", rollback)).code())
                .isEqualTo(ErrorCode.FEATURE_REGISTRY_UNAVAILABLE);
    }

    @Test
    void anythingElseIsAnInternalErrorWithAGenericMessage() {
        QuiverException q = Failures.classify(new NullPointerException("secret detail"));
        assertThat(q.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(q.getMessage()).doesNotContain("secret detail");
        assertThat(Failures.classify(new RuntimeException(new SQLException("duplicate key", "23505"))).code())
                .isEqualTo(ErrorCode.INTERNAL_ERROR);
    }
}
