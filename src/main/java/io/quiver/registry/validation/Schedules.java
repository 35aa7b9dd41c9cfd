package io.quiver.registry.validation;

import java.util.Optional;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;

/** Checks materialization schedules: Quartz cron, the syntax the Quarkus scheduler runs. */
public final class Schedules {

    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private Schedules() {
    }

    /** Why the expression is not a valid Quartz cron, or empty when it is. */
    public static Optional<String> problem(String cron) {
        try {
            QUARTZ.parse(cron.trim()).validate();
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("'" + cron + "' is not a Quartz cron expression (" + e.getMessage()
                    + "); six or seven fields, seconds first, e.g. '0 0/15 * * * ?' for every 15 minutes");
        }
    }
}
