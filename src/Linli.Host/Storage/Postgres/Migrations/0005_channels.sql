-- What the channels keep: activities already handled (a retry runs once), texts and connector messages waiting to be
-- delivered, and the WeChat choices a numbered reply answers. Keyed by the channel's own ids (no community).

CREATE TABLE processed_activities (
    key text PRIMARY KEY,
    at timestamptz NOT NULL
);
CREATE INDEX processed_activities_by_age ON processed_activities (at);

CREATE TABLE text_outbox (
    id text PRIMARY KEY,
    channel text NOT NULL,
    recipient text NOT NULL,
    text text NOT NULL,
    queued_at timestamptz NOT NULL,
    attempts int NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    last_error text
);
CREATE INDEX text_outbox_queue ON text_outbox (channel, id COLLATE "C");
CREATE INDEX text_outbox_by_recipient ON text_outbox (channel, recipient);

CREATE TABLE connector_outbox (
    id text PRIMARY KEY,
    service_url text NOT NULL,
    conversation_id text NOT NULL,
    reply_to_id text,
    json text NOT NULL,
    attempts int NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    last_error text
);
CREATE INDEX connector_outbox_due ON connector_outbox (next_attempt_at);

CREATE TABLE wechat_choices (
    open_id text PRIMARY KEY,
    choices jsonb NOT NULL,
    at timestamptz NOT NULL
);
