-- Keyset pages filtered by target cloud read only matching rows, in order (found by bench/pagination.sh:
-- with only blueprints_keyset_idx they read every row of the other clouds too, and offset pages sorted on disk).
CREATE INDEX blueprints_target_cloud_keyset_idx ON blueprints (target_cloud, created_at DESC, id DESC);
