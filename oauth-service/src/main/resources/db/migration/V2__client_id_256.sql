-- Custom client ids may be up to 256 characters (OAuthClientValidator). The outbox's aggregate id holds
-- "oauth-client.<api_id>.<client_id>", so it is widened too (in this service's database only).
alter table oauth_client alter column client_id type varchar(256);
alter table oauth_grant alter column client_id type varchar(256);
alter table oauth_token alter column client_id type varchar(256);
alter table outbox_event alter column aggregate_id type varchar(1024);
