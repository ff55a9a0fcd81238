-- The Dashboard's key lists (issue 11), paged in this database: one organisation's live keys in
-- key-hash order are one range of this index, so the first page of 100,000 keys reads 10 entries.
-- (org_id has been written beside every session since V1.)
create index api_key_org_hash on api_key (org_id, key_hash, key_id) where deleted_at is null;

-- The API ids a stored session's access_rights names, sorted; empty when it names none. jsonb
-- refuses the \u0000 escape Jackson writes for a NUL character, which never occurs in an API id,
-- so it is dropped first; a document that still cannot be read names an API no key has (''),
-- never every API, and a write is never refused because of this index.
create function gatehouse_key_api_ids(session text) returns text[]
    language plpgsql immutable parallel safe as $$
declare
    rights jsonb;
begin
    rights := replace(session, '\u0000', '')::jsonb -> 'access_rights';
    if rights is null or jsonb_typeof(rights) <> 'object' then
        return '{}';
    end if;
    return array(select jsonb_object_keys(rights) order by 1);
exception when others then
    return array[''];
end
$$;

-- Keys of one API.
create index api_key_api_ids on api_key using gin (gatehouse_key_api_ids(session))
    where deleted_at is null;
