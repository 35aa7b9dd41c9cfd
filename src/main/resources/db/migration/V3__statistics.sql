-- Statistics of a group version's offline data, recomputed by refreshFeatures from one snapshot.
CREATE TABLE qv_group_statistics (
    group_id     BIGINT PRIMARY KEY REFERENCES qv_feature_group (id) ON DELETE CASCADE,
    snapshot_id  BIGINT,
    row_count    BIGINT NOT NULL,
    features     VARCHAR NOT NULL,
    computed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
