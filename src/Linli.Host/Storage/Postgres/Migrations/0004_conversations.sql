-- Where each conversation with the bot stands, and where each user last talked to it. Neither names a community
-- (a conversation may begin before anyone is bound to a flat): the key is the channel's own; a partition would hash
-- it.
-- The state is the bot's own document, read and written whole: json keeps it as written (jsonb would reorder it).

CREATE TABLE conversation_states (
    channel_id text NOT NULL,
    conversation_id text NOT NULL,
    state json NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (channel_id, conversation_id)
);

CREATE TABLE conversation_references (
    channel_id text NOT NULL,
    user_id text NOT NULL,
    reference json NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (channel_id, user_id)
);
