package io.quiver.online;

/**
 * Writes reached the Redis master but fewer of its replicas than {@code quiver.online.wait-replicas} asked for within
 * the wait. Redis is answering, so this does not count against the online store's circuit breaker: reads go on
 * being served from Redis while the writer retries.
 */
public class ReplicationShortfallException extends OnlineStoreException {

    public ReplicationShortfallException(int reached, int wanted, long waitMillis) {
        super("writes reached " + reached + " of the " + wanted + " Redis replicas they must reach within " + waitMillis
                + " ms; they are on the master and will be retried", "WAIT answered " + reached + " of " + wanted, null);
    }
}
