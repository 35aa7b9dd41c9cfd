package io.quiver.offline;

/**
 * What the caller of a write does once its snapshot committed, while the written files are still local; its result
 * is the write's result. It must not throw: the write has committed, so a failure there is the caller's to report
 * inside its result (the online write-through reports PENDING), never as a failed write.
 */
@FunctionalInterface
public interface AfterCommit<T> {

    T committed(CommittedWrite write);
}
