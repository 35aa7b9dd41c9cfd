-- The last version number each feature service name has used, kept after its versions are deleted, so that a label
-- (name@version) never names two different lists over time.
CREATE TABLE qv_service_name (
    name         VARCHAR(63) PRIMARY KEY,
    last_version INTEGER NOT NULL
);
INSERT INTO qv_service_name (name, last_version) SELECT name, max(version) FROM qv_feature_service GROUP BY name;
