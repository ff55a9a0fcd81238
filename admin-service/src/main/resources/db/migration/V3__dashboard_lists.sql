-- The Dashboard's lists (issue 11): what /api/apis and /api/portal/policies page, search and sort by,
-- derived from the stored document so the writers stay as they are. Every list is one organisation's
-- live documents, so each index is partial (live only) and leads with org_id.
alter table api_definition
    add column name  text generated always as (document::jsonb ->> 'name') stored,
    add column db_id text generated always as (document::jsonb ->> 'id') stored;
create index api_definition_org_created on api_definition (org_id, created_at desc, api_id)
    where deleted_at is null;
create index api_definition_org_updated on api_definition (org_id, updated_at desc, api_id)
    where deleted_at is null;
create index api_definition_org_name on api_definition (org_id, lower(name), api_id)
    where deleted_at is null;
create index api_definition_db_id on api_definition (db_id) where deleted_at is null;

alter table policy
    add column name  text generated always as (document::jsonb ->> 'name') stored,
    add column db_id text generated always as (document::jsonb ->> '_id') stored;
create index policy_org_created on policy (org_id, created_at desc, id) where deleted_at is null;
create index policy_db_id on policy (db_id) where deleted_at is null;
create index policy_org_name on policy (org_id, lower(name)) where deleted_at is null;
