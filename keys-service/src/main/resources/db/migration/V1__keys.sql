-- Keys (sessions). key_id is the HMAC-SHA-256 digest of the key: the raw key is never stored.
-- Deleted keys stay as version markers, so an old event can never bring a key back.
create table api_key (
    key_id          varchar(64)  primary key,
    key_hash        varchar(64)  not null,
    org_id          varchar(255),
    session         text         not null,
    quotas          text         not null default '{}',
    usage_partition integer,
    usage_offset    bigint,
    version         bigint       not null,
    created_at      timestamptz  not null,
    updated_at      timestamptz  not null,
    deleted_at      timestamptz
);
create index api_key_key_hash on api_key (key_hash);

-- How far keys-service has counted gatehouse.usage, per partition, moved in the same transaction as
-- the counts so a redelivered delta is not counted twice.
create table usage_position (
    usage_partition integer primary key,
    next_offset     bigint not null
);

-- Organisation sessions (Tyk's org keys), by org id.
create table org_key (
    org_id      varchar(255) primary key,
    session     text         not null,
    version     bigint       not null,
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null,
    deleted_at  timestamptz
);
