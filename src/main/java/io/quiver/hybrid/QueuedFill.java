package io.quiver.hybrid;

import java.util.Comparator;

/**
 * A fill waiting for a fill thread. Fills that switch a group to MATERIALIZED go before refreshes: a switching
 * group's reads are computed until its fill ends, a refreshing group's are served from stored data meanwhile. Among
 * switches the shorter expected fill goes first (the least waiting in all; switches follow decisions, which are
 * rare), then the earlier; refreshes go in arrival order, so that short ones, which come back every refresh
 * interval, cannot hold a long one back for ever.
 *
 * @param refresh a refresh of a group already stored (else a fill to switch)
 * @param expectedMs what the fill is expected to take: the group's last fill, else the decision's estimate
 * @param seq arrival order
 */
record QueuedFill(Runnable fill, boolean refresh, double expectedMs, long seq) implements Runnable {

    static final Comparator<Runnable> ORDER = Comparator.comparing((Runnable r) -> ((QueuedFill) r).refresh())
            .thenComparingDouble(r -> ((QueuedFill) r).refresh() ? 0 : ((QueuedFill) r).expectedMs())
            .thenComparingLong(r -> ((QueuedFill) r).seq());

    @Override
    public void run() {
        fill.run();
    }
}
