-- The latest scheduled materialization tick a replica claimed per group version: every replica fires the same cron
-- tick, and only the one whose claim moves fire_time forward runs it.
CREATE TABLE qv_schedule_claim (
    group_id BIGINT PRIMARY KEY,
    fire_time TIMESTAMP WITH TIME ZONE NOT NULL
);
