-- Issue 12: analytics aggregates, folded exactly once from gatehouse.analytics (ADR 0012).
-- How far into each partition the aggregates go: written in the same transaction as the counts.
CREATE TABLE analytics_offsets (
    topic       TEXT    NOT NULL,
    partition   INTEGER NOT NULL,
    next_offset BIGINT  NOT NULL,
    PRIMARY KEY (topic, partition)
);

-- One row per organisation, hour, API, key, OAuth client, tracked endpoint ('' when untracked) and code.
-- Times are sums in milliseconds (divided by hits when read), as Tyk's aggregates keep them.
CREATE TABLE analytics_hourly (
    org_id               TEXT             NOT NULL,
    bucket               TIMESTAMPTZ      NOT NULL,
    api_id               TEXT             NOT NULL,
    key_hash             TEXT             NOT NULL,
    oauth_id             TEXT             NOT NULL,
    path                 TEXT             NOT NULL,
    code                 INTEGER          NOT NULL,
    api_name             TEXT             NOT NULL,
    alias                TEXT             NOT NULL,
    hits                 BIGINT           NOT NULL,
    success              BIGINT           NOT NULL,
    errors               BIGINT           NOT NULL,
    request_time         DOUBLE PRECISION NOT NULL,
    latency              DOUBLE PRECISION NOT NULL,
    upstream_latency     DOUBLE PRECISION NOT NULL,
    max_latency          DOUBLE PRECISION NOT NULL,
    min_latency          DOUBLE PRECISION NOT NULL,
    max_upstream_latency DOUBLE PRECISION NOT NULL,
    min_upstream_latency DOUBLE PRECISION NOT NULL,
    bytes_in             BIGINT           NOT NULL,
    bytes_out            BIGINT           NOT NULL,
    last_hit             TIMESTAMPTZ      NOT NULL,
    last_code            INTEGER          NOT NULL,
    PRIMARY KEY (org_id, bucket, api_id, key_hash, oauth_id, path, code)
);
CREATE INDEX analytics_hourly_by_api ON analytics_hourly (org_id, api_id, bucket);
CREATE INDEX analytics_hourly_by_key ON analytics_hourly (org_id, key_hash, bucket) WHERE key_hash <> '';
CREATE INDEX analytics_hourly_by_oauth ON analytics_hourly (org_id, oauth_id, bucket) WHERE oauth_id <> '';

-- The same by day (UTC): what the day-range endpoints read, kept long after the hours are pruned.
CREATE TABLE analytics_daily (LIKE analytics_hourly INCLUDING ALL);

-- Raw records for drill-down, pruned after gatehouse.analytics.raw-retention.
CREATE TABLE analytics_records (
    id            BIGSERIAL   PRIMARY KEY,
    org_id        TEXT        NOT NULL,
    api_id        TEXT        NOT NULL,
    at            TIMESTAMPTZ NOT NULL,
    key_hash      TEXT        NOT NULL,
    oauth_id      TEXT        NOT NULL,
    response_code INTEGER     NOT NULL,
    record        JSONB       NOT NULL
);
CREATE INDEX analytics_records_by_time ON analytics_records (org_id, at);
