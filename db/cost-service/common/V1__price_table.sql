-- The price table the estimates are computed from. Portable SQL: runs unchanged on PostgreSQL and on the embedded
-- H2 (PostgreSQL mode). Forward-only: change prices with a new V<n>__<description>.sql, never by editing this file.

-- list price of one unit of a resource type and size, per month, in the cloud's reference region
CREATE TABLE prices (
    cloud         VARCHAR(16)    NOT NULL,
    resource_type VARCHAR(50)    NOT NULL,
    size          VARCHAR(50)    NOT NULL,
    monthly_usd   NUMERIC(12, 4) NOT NULL,
    CONSTRAINT prices_pk PRIMARY KEY (cloud, resource_type, size),
    CONSTRAINT prices_positive_ck CHECK (monthly_usd >= 0)
);

-- how much more (or less) a region costs than the cloud's reference region
CREATE TABLE region_factors (
    cloud  VARCHAR(16)   NOT NULL,
    region VARCHAR(50)   NOT NULL,
    factor NUMERIC(6, 4) NOT NULL,
    CONSTRAINT region_factors_pk PRIMARY KEY (cloud, region),
    CONSTRAINT region_factors_positive_ck CHECK (factor > 0)
);
