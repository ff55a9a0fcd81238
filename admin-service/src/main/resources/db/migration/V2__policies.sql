-- Policies: the document as the client sent it (re-encoded); deleted ones kept as version markers.
create table policy (
    id          varchar(255) primary key,
    org_id      varchar(255),
    document    text         not null,
    version     bigint       not null,
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null,
    deleted_at  timestamptz
);
