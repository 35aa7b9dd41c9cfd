-- Per-group grants. A grant names the groups it covers (a name pattern and tags) and who may read or write them;
-- an owner team belongs to a group name, so every version of the group has it. A key's teams join it to grants.
CREATE TABLE qv_grant (
    name          VARCHAR(100) PRIMARY KEY,
    group_pattern VARCHAR(200) NOT NULL,
    tags          VARCHAR(1000) NOT NULL,
    principals    VARCHAR(2000) NOT NULL,
    teams         VARCHAR(2000) NOT NULL,
    action        VARCHAR(10) NOT NULL,
    created_by    VARCHAR(200),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE TABLE qv_group_owner (
    group_name VARCHAR(63) PRIMARY KEY,
    team       VARCHAR(100) NOT NULL,
    set_by     VARCHAR(200),
    set_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
ALTER TABLE qv_api_key ADD COLUMN teams VARCHAR(1000);
