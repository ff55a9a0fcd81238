-- Certificates of /tyk/certs: the chain and, when given, the private key sealed; deleted ones kept as
-- version markers.
create table certificate (
    id          varchar(400) primary key,
    org_id      varchar(255),
    document    text         not null,
    version     bigint       not null,
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null,
    deleted_at  timestamptz
);
