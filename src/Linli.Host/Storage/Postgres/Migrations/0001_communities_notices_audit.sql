-- Communities with their buildings and flats, notices, and the audit log.
-- House rules for every table: the community id leads every key and index (a table can then be partitioned by it,
-- LIST or HASH, without changing a query); money is numeric, instants timestamptz, dates date; enums are their
-- names as text; ids come from the application.

CREATE TABLE communities (
    id text PRIMARY KEY,
    name text NOT NULL,
    name_en text NOT NULL,
    city text NOT NULL,
    district text NOT NULL,
    address text NOT NULL,
    property_fee_rate numeric NOT NULL,
    parking_fee numeric NOT NULL
);

CREATE TABLE buildings (
    community_id text NOT NULL,
    id text NOT NULL,
    number int NOT NULL,
    floors int NOT NULL,
    PRIMARY KEY (community_id, id)
);
-- Not unique, as in LiteDB: an import that renumbers buildings or swaps two rooms lands in one statement.
CREATE INDEX buildings_by_number ON buildings (community_id, number);

CREATE TABLE units (
    community_id text NOT NULL,
    id text NOT NULL,
    building_id text NOT NULL,
    building_number int NOT NULL,
    floor int NOT NULL,
    room text NOT NULL,
    area numeric NOT NULL,
    has_parking_space boolean NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX units_by_label ON units (community_id, building_number, room);
-- The one read by id alone: a unit id (from a binding, a bill, a ticket) is unique across an instance.
CREATE UNIQUE INDEX units_by_id ON units (id);

CREATE TABLE notices (
    community_id text NOT NULL,
    id text NOT NULL,
    scope text NOT NULL,
    building_number int,
    unit_id text,
    title text NOT NULL,
    body text NOT NULL,
    published_at timestamptz NOT NULL,
    published_by text NOT NULL,
    pushed_to int NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX notices_latest ON notices (community_id, published_at DESC);

CREATE TABLE audit_entries (
    community_id text NOT NULL,
    id text NOT NULL,
    at timestamptz NOT NULL,
    person_id text NOT NULL,
    name text NOT NULL,
    action text NOT NULL,
    target text NOT NULL,
    detail text,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX audit_entries_latest ON audit_entries (community_id, at DESC, id DESC);
