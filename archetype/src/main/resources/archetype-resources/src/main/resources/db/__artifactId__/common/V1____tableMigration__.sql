-- The ${resourcePlural} table. Portable SQL: runs unchanged on PostgreSQL and on the embedded H2 (PostgreSQL mode).
-- SQL that differs per database goes into a sibling folder named after the vendor (postgresql/, h2/), which Flyway
-- reads after this one: db.migrations.locations defaults to db/{service}/common + db/{service}/{vendor}.
-- Migrations are forward-only: change the schema with a new V<n>__<description>.sql, never by editing this file.

CREATE TABLE ${resourcePlural} (
    id          UUID                        NOT NULL,
    -- the token subject (sub) of the creator: users see and change only their own rows, admins every row
    owner_id    VARCHAR(128)                NOT NULL,
    name        VARCHAR(100)                NOT NULL,
    description VARCHAR(2000),
    -- optimistic locking: every update runs "... SET version = ? WHERE id = ? AND version = <the version read>"
    version     BIGINT                      NOT NULL,
    created_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT ${resourcePlural}_pk PRIMARY KEY (id),
    -- names are unique per owner, so one user's names neither block nor reveal another's; a duplicate is a
    -- 409 CONFLICT problem (the data library translates SQLState 23505)
    CONSTRAINT ${resourcePlural}_owner_name_uk UNIQUE (owner_id, name),
    CONSTRAINT ${resourcePlural}_version_ck CHECK (version >= 1)
);

-- keyset pagination: [owner_id = ? AND] (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC
-- a user's own list (every non-admin list)
CREATE INDEX ${resourcePlural}_owner_keyset_idx ON ${resourcePlural} (owner_id, created_at DESC, id DESC);
-- an admin's list of every owner's rows
CREATE INDEX ${resourcePlural}_keyset_idx ON ${resourcePlural} (created_at DESC, id DESC);
