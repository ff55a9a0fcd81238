-- Quota counts go out at most once per interval per key (ADR 0005): the held-back ones are marked,
-- and a periodic publisher sends their latest counts.
alter table api_key add column usage_unpublished  boolean     not null default false;
alter table api_key add column usage_published_at timestamptz;
create index api_key_usage_unpublished on api_key (key_id) where usage_unpublished;
