-- Direct Line conversations and their backlogs (what a client reads after its watermark, on any instance).

CREATE TABLE directline_conversations (
    id text PRIMARY KEY,
    user_id text,
    locale text,
    created_at timestamptz NOT NULL,
    last_seq int NOT NULL,
    started boolean NOT NULL
);
CREATE INDEX directline_conversations_by_age ON directline_conversations (created_at);

CREATE TABLE directline_activities (
    conversation_id text NOT NULL REFERENCES directline_conversations (id) ON DELETE CASCADE,
    seq int NOT NULL,
    id text NOT NULL,
    json text NOT NULL,
    -- "conversation|clientActivityID" of a user's activity: a client's retried send is kept once.
    client_key text,
    PRIMARY KEY (conversation_id, seq)
);
CREATE UNIQUE INDEX directline_activities_by_client_key ON directline_activities (conversation_id, client_key)
    WHERE client_key IS NOT NULL;
