-- Indexes for the blueprint list and search queries (PostgreSQL).
-- The single-column owner_id, status and created_at indexes are prefixes of the composite indexes below, so they cost
-- writes for little read benefit; drop them in a later migration if pg_stat_user_indexes shows them unused.

CREATE INDEX blueprints_owner_id_idx ON blueprints (owner_id);
CREATE INDEX blueprints_status_idx ON blueprints (status);
CREATE INDEX blueprints_created_at_idx ON blueprints (created_at DESC);
CREATE INDEX blueprints_target_cloud_idx ON blueprints (target_cloud);
CREATE INDEX blueprints_owner_status_idx ON blueprints (owner_id, status);

-- Keyset pagination: ORDER BY created_at DESC, id DESC, with and without the list filters.
CREATE INDEX blueprints_keyset_idx ON blueprints (created_at DESC, id DESC);
CREATE INDEX blueprints_owner_keyset_idx ON blueprints (owner_id, created_at DESC, id DESC);
CREATE INDEX blueprints_status_keyset_idx ON blueprints (status, created_at DESC, id DESC);
CREATE INDEX blueprints_owner_status_keyset_idx ON blueprints (owner_id, status, created_at DESC, id DESC);

-- Name search: WHERE to_tsvector('simple', name) @@ plainto_tsquery('simple', :q) (the expression must match).
CREATE INDEX blueprints_name_fts_idx ON blueprints USING GIN (to_tsvector('simple', name));
