-- The ${resourcePlural} table. Portable SQL: runs unchanged on PostgreSQL and on the embedded H2 (PostgreSQL mode).
-- SQL that differs per database goes into a sibling folder named after the vendor (postgresql/, h2/), which Flyway
-- reads after this one: db.migrations.locations defaults to db/{service}/common + db/{service}/{vendor}.
-- Migrations are forward-only: change the schema with a new V<n>__<description>.sql, never by editing this file.

CREATE TABLE ${resourcePlural} (
    id          UUID                        NOT NULL,
    name        VARCHAR(100)                NOT NULL,
    description VARCHAR(2000),
    -- optimistic locking: every update runs "... SET version = ? WHERE id = ? AND version = <the version read>"
    version     BIGINT                      NOT NULL,
    created_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT ${resourcePlural}_pk PRIMARY KEY (id),
    -- a duplicate name is a 409 CONFLICT problem (the data library translates SQLState 23505)
    CONSTRAINT ${resourcePlural}_name_uk UNIQUE (name),
    CONSTRAINT ${resourcePlural}_version_ck CHECK (version >= 1)
);

-- keyset pagination: WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC
CREATE INDEX ${resourcePlural}_keyset_idx ON ${resourcePlural} (created_at DESC, id DESC);
