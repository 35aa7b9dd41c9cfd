-- Where a materialization job computed its rows (DUCKDB on this service, or SPARK) and why, in a sentence.
ALTER TABLE qv_materialization_job ADD COLUMN engine VARCHAR(16);
ALTER TABLE qv_materialization_job ADD COLUMN engine_reason VARCHAR(500);
