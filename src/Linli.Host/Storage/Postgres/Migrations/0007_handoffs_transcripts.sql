-- Conversations taken over by staff, and the transcript of every conversation.

CREATE TABLE handoffs (
    id text PRIMARY KEY,
    ticket_number text NOT NULL,
    staff_person_id text NOT NULL,
    staff_name text NOT NULL,
    since timestamptz NOT NULL
);

-- Lines keep the order they were appended in (seq), also when several share an instant.
CREATE TABLE transcript_lines (
    conversation text NOT NULL,
    seq bigint GENERATED ALWAYS AS IDENTITY,
    at timestamptz NOT NULL,
    role text NOT NULL,
    name text,
    text text NOT NULL,
    attachments jsonb NOT NULL,
    buttons jsonb NOT NULL,
    PRIMARY KEY (conversation, seq)
);
CREATE INDEX transcript_lines_by_age ON transcript_lines (at);
