-- API definitions: the document as the client sent it (re-encoded), plus the fields we look up by.
create table api_definition (
    api_id      varchar(255) primary key,
    org_id      varchar(255),
    listen_path text,
    document    text         not null,
    version     bigint       not null,
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null,
    -- deleted definitions are kept as markers so a re-created API continues the version sequence
    deleted_at  timestamptz
);
