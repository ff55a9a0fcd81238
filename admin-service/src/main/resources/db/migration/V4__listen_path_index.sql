-- Every API create and update asks whether another live API claims its listen path: without an index
-- that is a scan of every definition, so loading 10,000 APIs cost O(n^2).
create index api_definition_listen_path on api_definition (listen_path) where deleted_at is null;
