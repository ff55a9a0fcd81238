-- Organisations (Tyk's OrganisationDocument). document is the whole normalised document as JSON.
create table organisation (
    id          varchar(24)  primary key,
    owner_name  varchar(512) not null,
    document    text         not null,
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null
);

-- User groups: a user in a group has the group's permissions.
create table user_group (
    id                varchar(24)  primary key,
    org_id            varchar(64)  not null,
    name              varchar(512) not null,
    description       text         not null default '',
    active            boolean      not null,
    password_max_days integer      not null default 0,
    user_permissions  text         not null,
    created_at        timestamptz  not null
);
create index user_group_org on user_group (org_id, created_at, id);

-- Dashboard users. The credential (the authorization header) is stored only as its HMAC digest
-- (contracts' KeyDigest); every /api request looks it up by that digest, so a reset or a delete
-- revokes it on every instance at the commit. org_id null: a super user (Admin API only).
create table dashboard_user (
    id                 varchar(24)  primary key,
    org_id             varchar(64),
    first_name         varchar(512) not null,
    last_name          varchar(512) not null,
    email_address      varchar(512) not null,
    active             boolean      not null,
    group_id           varchar(24)  not null default '',
    user_permissions   text         not null,
    api_model          text         not null default '{}',
    password_max_days  integer      not null default 0,
    access_key_digest  varchar(64)  not null,
    created_at         timestamptz  not null,
    updated_at         timestamptz  not null
);
create unique index dashboard_user_credential on dashboard_user (access_key_digest);
create unique index dashboard_user_email on dashboard_user (coalesce(org_id, ''), lower(email_address));
create index dashboard_user_org on dashboard_user (org_id, created_at, id);
