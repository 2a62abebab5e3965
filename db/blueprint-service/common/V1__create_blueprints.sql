-- Blueprints and their resources. Portable SQL: runs unchanged on PostgreSQL and on H2 in PostgreSQL mode
-- (jdbc:h2:...;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE). Vendor-specific SQL lives in postgresql/ and h2/.

CREATE TABLE blueprints (
    id           UUID                        NOT NULL,
    owner_id     VARCHAR(128)                NOT NULL,
    name         VARCHAR(100)                NOT NULL,
    description  VARCHAR(2000),
    target_cloud VARCHAR(10),
    status       VARCHAR(10)  DEFAULT 'draft' NOT NULL,
    -- optimistic locking: every update does "SET version = version + 1 WHERE id = ? AND version = ?"
    version      BIGINT       DEFAULT 1       NOT NULL,
    created_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT blueprints_pk PRIMARY KEY (id),
    CONSTRAINT blueprints_name_length_ck CHECK (CHAR_LENGTH(name) BETWEEN 3 AND 100),
    CONSTRAINT blueprints_target_cloud_ck CHECK (target_cloud IN ('aws', 'azure', 'gcp')),
    CONSTRAINT blueprints_status_ck CHECK (status IN ('draft', 'active', 'archived')),
    CONSTRAINT blueprints_version_ck CHECK (version >= 1)
);

CREATE TABLE blueprint_resources (
    id           UUID        NOT NULL,
    blueprint_id UUID        NOT NULL,
    type         VARCHAR(50) NOT NULL,
    size         VARCHAR(50) NOT NULL,
    count        INTEGER     NOT NULL,
    region       VARCHAR(50) NOT NULL,
    position     INTEGER,
    CONSTRAINT blueprint_resources_pk PRIMARY KEY (id),
    CONSTRAINT blueprint_resources_blueprint_fk FOREIGN KEY (blueprint_id)
        REFERENCES blueprints (id) ON DELETE CASCADE,
    CONSTRAINT blueprint_resources_count_ck CHECK (count BETWEEN 1 AND 10000)
);

CREATE INDEX blueprint_resources_blueprint_id_idx ON blueprint_resources (blueprint_id);
