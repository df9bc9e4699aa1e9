-- People (residents and staff) and the accounts staff sign in with.

CREATE TABLE people (
    community_id text NOT NULL,
    id text NOT NULL,
    name text NOT NULL,
    phone text NOT NULL,
    roles jsonb NOT NULL,
    -- [{"UnitId": "...", "Relation": "Owner"}]: read with the person, searched by unit through the index below.
    units jsonb NOT NULL,
    is_organization boolean NOT NULL,
    title text,
    locale text NOT NULL,
    we_com_user_id text,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX people_by_phone ON people (community_id, phone);
-- Who lives in a flat: containment (units @> '[{"UnitId": ...}]'). A GIN index cannot lead with the community; the
-- query names it too, and a partition by community carries its own.
CREATE INDEX people_by_unit ON people USING gin (units jsonb_path_ops);
-- A WeCom member id names one person across the instance (WeCom's messages name no community).
CREATE INDEX people_by_wecom ON people (we_com_user_id) WHERE we_com_user_id IS NOT NULL;

CREATE TABLE accounts (
    -- The user name: unique across the instance, as sign-in finds it before knowing the community.
    id text PRIMARY KEY,
    community_id text NOT NULL,
    person_id text NOT NULL,
    roles jsonb NOT NULL,
    password_hash text NOT NULL,
    failed_attempts int NOT NULL,
    locked_until timestamptz,
    disabled boolean NOT NULL,
    must_change_password boolean NOT NULL,
    stamp text NOT NULL,
    password_changed_at timestamptz
);
CREATE INDEX accounts_of_community ON accounts (community_id, person_id);
