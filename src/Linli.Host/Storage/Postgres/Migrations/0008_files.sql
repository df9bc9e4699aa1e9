-- Uploaded files with their bytes (photos and proofs: at most a few MB each). Chat photos come before anyone knows the
-- sender's community, so a file is found by its id; the community, when known, is checked by the caller.

CREATE TABLE files (
    id text PRIMARY KEY,
    folder text NOT NULL,
    file_name text NOT NULL,
    content_type text NOT NULL,
    community_id text NOT NULL,
    owner_id text NOT NULL,
    conversation_id text NOT NULL,
    uploaded_at timestamptz NOT NULL,
    length bigint NOT NULL,
    content bytea NOT NULL
);
CREATE INDEX files_by_folder_and_age ON files (folder, uploaded_at);
CREATE INDEX files_of_conversation ON files (conversation_id) WHERE conversation_id <> '';
