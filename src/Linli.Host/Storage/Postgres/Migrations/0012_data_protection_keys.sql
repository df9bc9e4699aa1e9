-- The keys that protect sign-in cookies and one-use links, shared by every instance: a cookie one instance issued is
-- read by any other, and survives a restart. Names no community: the keys are the deployment's.

CREATE TABLE data_protection_keys (
    name text PRIMARY KEY,
    xml text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
