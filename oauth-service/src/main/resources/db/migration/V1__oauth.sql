-- OAuth clients, per API (Tyk registers a policy's client on each of its OAuth2 APIs). The secret is
-- kept sealed (AES-GCM), never raw. Deleted clients stay as version markers.
create table oauth_client (
    id            varchar(600) primary key,
    api_id        varchar(255) not null,
    client_id     varchar(255) not null,
    org_id        varchar(255),
    secret_sealed text         not null,
    redirect_uri  text         not null,
    policy_id     varchar(255),
    meta_data     text,
    description   text,
    version       bigint       not null,
    created_at    timestamptz  not null,
    updated_at    timestamptz  not null,
    deleted_at    timestamptz
);
create index oauth_client_client on oauth_client (client_id);

-- Authorisation codes and refresh tokens, by their HMAC digest: single-use grants.
create table oauth_grant (
    digest        varchar(64)  primary key,
    kind          varchar(16)  not null,
    api_id        varchar(255) not null,
    client_id     varchar(255) not null,
    redirect_uri  text,
    scope         text,
    session       text         not null,
    access_digest varchar(64),
    expires_at    bigint       not null,
    created_at    timestamptz  not null
);
create index oauth_grant_client on oauth_grant (api_id, client_id);

-- Access tokens, by digest: sessions published on gatehouse.oauth-tokens.
create table oauth_token (
    digest      varchar(64)  primary key,
    key_hash    varchar(64)  not null,
    api_id      varchar(255) not null,
    client_id   varchar(255) not null,
    session     text         not null,
    expires_at  bigint       not null,
    version     bigint       not null,
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null,
    deleted_at  timestamptz
);
create index oauth_token_client on oauth_token (api_id, client_id);
