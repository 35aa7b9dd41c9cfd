-- A failed materialization job says what failed in the stable error code, and under which id the server logged it
-- (the request that started the job, or an id of the job's own for scheduled runs).
ALTER TABLE qv_materialization_job ADD COLUMN error_code VARCHAR(40);
ALTER TABLE qv_materialization_job ADD COLUMN request_id VARCHAR(64);
