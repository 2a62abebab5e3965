-- Indexes for the blueprint list and search queries (H2, the embedded default).
-- Same b-tree indexes as postgresql/V2__indexes.sql; H2 has no to_tsvector or GIN, so name search gets a plain index.

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

CREATE INDEX blueprints_name_idx ON blueprints (name);
