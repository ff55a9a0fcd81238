-- Who owns an API (DASHBOARD.md §4.7, /api/apis/{apiID}/access): Dashboard users and user groups of
-- the API's organisation, a Dashboard fact kept here; the API itself is admin-service's. api_id is the
-- API's public id (it never changes); the lists are JSON arrays of ids, replaced whole by every PUT.
create table api_access (
    api_id          varchar(255) primary key,
    org_id          varchar(64)  not null,
    user_ids        text         not null,
    user_group_ids  text         not null,
    updated_at      timestamptz  not null
);
