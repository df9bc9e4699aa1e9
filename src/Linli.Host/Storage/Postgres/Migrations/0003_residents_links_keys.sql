-- Chat identities bound to flats and the codes that bind them; residents' one-use sign-in links; signing keys; the
-- staff console's canned replies.

-- One row per chat identity ("channel|user"): a message names no community, so the identity is the key.
CREATE TABLE resident_bindings (
    id text PRIMARY KEY,
    community_id text NOT NULL,
    unit_id text NOT NULL,
    person_id text NOT NULL,
    bound_at timestamptz NOT NULL,
    last_arrears_reminder_at timestamptz
);
CREATE INDEX resident_bindings_of_community ON resident_bindings (community_id, person_id, id);

CREATE TABLE binding_codes (
    id text PRIMARY KEY,
    community_id text NOT NULL,
    unit_id text NOT NULL,
    person_id text NOT NULL,
    code_hash text NOT NULL,
    expires_at timestamptz NOT NULL,
    attempts int NOT NULL
);

-- Requests for a code, counted against a flat, a phone and a requester across communities (the limits are theirs).
CREATE TABLE code_requests (
    id text PRIMARY KEY,
    unit_id text NOT NULL,
    phone_hash text NOT NULL,
    requester text NOT NULL,
    at timestamptz NOT NULL
);
CREATE INDEX code_requests_by_unit ON code_requests (unit_id, at);
CREATE INDEX code_requests_by_phone ON code_requests (phone_hash, at);
CREATE INDEX code_requests_by_requester ON code_requests (requester, at);
CREATE INDEX code_requests_by_age ON code_requests (at);

CREATE TABLE used_links (
    nonce text PRIMARY KEY,
    expires_at timestamptz NOT NULL
);
CREATE INDEX used_links_by_expiry ON used_links (expires_at);

CREATE TABLE signing_keys (
    name text PRIMARY KEY,
    key bytea NOT NULL
);

CREATE TABLE canned_replies (
    community_id text PRIMARY KEY,
    items jsonb NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text
);
