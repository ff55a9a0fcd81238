-- The outbox every owner service writes in the same transaction as its changes (DESIGN.md §3);
-- OutboxRelay publishes the rows in id order. Shared migration: owners list db/gatehouse-outbox in
-- quarkus.flyway.locations, and number their own migrations from V1.
create table outbox_event (
    id                bigserial    primary key,
    topic             varchar(255) not null,
    event_id          varchar(64)  not null,
    source            varchar(255) not null,
    event_type        varchar(255) not null,
    aggregate_id      varchar(255) not null,
    aggregate_version bigint       not null,
    actor             varchar(255),
    request_id        varchar(255),
    occurred_at       timestamptz  not null,
    payload           text,
    published_at      timestamptz
);
create index outbox_event_pending on outbox_event (id) where published_at is null;
