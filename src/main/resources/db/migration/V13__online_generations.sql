-- A filled hybrid group is read from an online table of its own fill (a generation: <group table>:s<snapshot id>),
-- so that a refresh replaces what reads see as a whole; the generation it replaced is dropped after a grace period.
ALTER TABLE qv_group_strategy ADD COLUMN online_table VARCHAR(400);
ALTER TABLE qv_group_strategy ADD COLUMN retired_table VARCHAR(400);
ALTER TABLE qv_group_strategy ADD COLUMN retired_at TIMESTAMP WITH TIME ZONE;
