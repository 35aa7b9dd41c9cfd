package io.quiver.online;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.RegistryChanged;
import io.quiver.registry.model.FeatureGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * Runs {@code materializeIncremental} for every group whose latest version names a {@code materializationSchedule}
 * (Quartz cron). The schedule is rebuilt at start and after every registry change. Every replica schedules the
 * runs, and every replica's cron fires the same ticks: a tick is claimed in the database ({@code qv_schedule_claim}),
 * so exactly one replica runs it and the others skip it silently; the group's lease still keeps manual and scheduled
 * runs from overlapping. Changes made through other replicas arrive with the registry's change notifications, and
 * are looked for every {@code quiver.online.schedule-refresh} (60 s) as well; a run first checks that its group is
 * still scheduled.
 */
@ApplicationScoped
public class MaterializationScheduler {

    private static final Logger LOG = Logger.getLogger(MaterializationScheduler.class);
    private static final String PREFIX = "quiver-materialize:";

    private final Scheduler scheduler;
    private final RegistryCatalog catalog;
    private final Materializer materializer;
    private final MaterializationJobs jobs;
    private final io.micrometer.core.instrument.Counter claimed;
    private final io.micrometer.core.instrument.Counter skipped;
    /** Job id -> cron, of what this replica has scheduled. Guarded by {@code this}. */
    private final Map<String, String> scheduled = new HashMap<>();

    public MaterializationScheduler(Scheduler scheduler, RegistryCatalog catalog, Materializer materializer,
            MaterializationJobs jobs, io.micrometer.core.instrument.MeterRegistry meters) {
        this.claimed = meters.counter("quiver.materialization.ticks", "outcome", "claimed");
        this.skipped = meters.counter("quiver.materialization.ticks", "outcome", "skipped");
        this.scheduler = scheduler;
        this.catalog = catalog;
        this.materializer = materializer;
        this.jobs = jobs;
    }

    void onStart(@Observes StartupEvent event) {
        refresh();
        endAbandonedJobs();
    }

    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) RegistryChanged event) {
        refresh();
    }

    /** Another replica's change, announced by the registry's change listener. */
    void onChangeElsewhere(@Observes io.quiver.registry.RegistryChangedElsewhere event) {
        refresh();
    }

    /** Registrations made through other replicas reach this one only through the database: look again regularly. */
    @Scheduled(every = "${quiver.online.schedule-refresh:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        refresh();
        endAbandonedJobs();
    }

    private void endAbandonedJobs() {
        try {
            int ended = jobs.failAbandoned(Duration.ofMinutes(10));
            if (ended > 0) {
                LOG.warnf("ended %d materialization jobs whose replica stopped", ended);
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not look for abandoned materialization jobs: %s", e.getMessage());
        }
    }

    /** Brings the scheduled jobs in line with the registry. */
    public synchronized void refresh() {
        Map<String, FeatureGroup> wanted = new HashMap<>();
        try {
            for (FeatureGroup g : catalog.scheduledGroups()) {
                wanted.put(PREFIX + g.name(), g);
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not read materialization schedules (%s); keeping the current ones", e.getMessage());
            return;
        }
        for (String id : Map.copyOf(scheduled).keySet()) {
            FeatureGroup g = wanted.get(id);
            if (g == null || !g.materializationSchedule().equals(scheduled.get(id))) {
                scheduler.unscheduleJob(id);
                scheduled.remove(id);
            }
        }
        wanted.forEach((id, g) -> {
            if (!scheduled.containsKey(id)) {
                String group = g.name();
                scheduler.newJob(id).setCron(g.materializationSchedule())
                        .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                        .setTask(execution -> run(group, execution.getScheduledFireTime()))
                        .schedule();
                scheduled.put(id, g.materializationSchedule());
                LOG.infof("materializing %s on schedule '%s'", group, g.materializationSchedule());
            }
        });
    }

    /** The ids of this replica's scheduled materializations (for tests and operators). */
    public synchronized Map<String, String> scheduled() {
        return Map.copyOf(scheduled);
    }

    private void run(String group, java.time.Instant fireTime) {
        try {
            // another replica may have removed the schedule since this one last looked
            var latest = catalog.find(group, 0);
            if (latest.map(g -> g.group().materializationSchedule() == null).orElse(true)) {
                return;
            }
            // every replica fires the same tick: one runs it
            if (!jobs.claimTick(latest.get().group().id(), fireTime)) {
                skipped.increment();
                LOG.debugf("scheduled materialization of %s at %s runs on another replica", group, fireTime);
                return;
            }
            claimed.increment();
            materializer.materializeIncremental(group, 0, true, MaterializationJob.Trigger.SCHEDULE);
        } catch (RuntimeException e) {
            LOG.warnf("scheduled materialization of %s could not start: %s", group, e.getMessage());
        }
    }
}
