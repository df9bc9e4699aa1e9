-- Tickets and duty rosters, projects, mediation cases. Each is a document read and written whole (json, kept as
-- written), beside the columns its queries filter and sort on. A write lands only over the revision or version it was
-- read at (a conditional UPDATE), so any instance may write.

-- Numbers without gaps: the next of a series is an UPDATE … RETURNING in the transaction that uses it, so two
-- instances wait for each other on the row and a rolled-back write gives its number back. Ticket numbers are shared
-- by every community (residents quote the number alone): their series name no community ('').
CREATE TABLE number_counters (
    community_id text NOT NULL,
    series text NOT NULL,
    last bigint NOT NULL,
    PRIMARY KEY (community_id, series)
);

CREATE TABLE tickets (
    community_id text NOT NULL,
    id text NOT NULL,
    number text NOT NULL,
    source_key text NOT NULL,
    kind text NOT NULL,
    status text NOT NULL,
    urgency text NOT NULL,
    assignee_id text,
    unit_id text,
    location text,
    reporter_channel text NOT NULL,
    reporter_user text NOT NULL,
    reporter_person_id text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    respond_by timestamptz NOT NULL,
    resolve_by timestamptz NOT NULL,
    respond_breached_at timestamptz,
    resolve_breached_at timestamptz,
    acknowledged_at timestamptz,
    last_event_status text,
    last_event_at timestamptz,
    revision bigint NOT NULL,
    doc json NOT NULL,
    PRIMARY KEY (community_id, id)
);
-- The same message opens one ticket: the check is the insert.
CREATE UNIQUE INDEX tickets_by_source ON tickets (community_id, source_key);
-- Found by number alone (and numbered by prefix): unique by its counter, so no unique index is needed to partition.
CREATE INDEX tickets_by_number ON tickets (number text_pattern_ops);
CREATE INDEX tickets_queue ON tickets (community_id, status, respond_by);
CREATE INDEX tickets_changed ON tickets (community_id, updated_at);
-- A resident's own tickets, across communities (a chat identity is one person's).
CREATE INDEX tickets_by_reporter ON tickets (reporter_channel, reporter_user, created_at);
-- What a resident reported, for their copy of their data.
CREATE INDEX tickets_by_reporter_person ON tickets (community_id, reporter_person_id)
    WHERE reporter_person_id IS NOT NULL;
CREATE INDEX tickets_by_unit ON tickets (unit_id) WHERE unit_id IS NOT NULL;
-- What the timers look for in every community: tickets whose clock still runs.
CREATE INDEX tickets_running ON tickets (status) WHERE status NOT IN ('Resolved', 'Closed');

CREATE TABLE duty_rosters (
    community_id text PRIMARY KEY,
    person_ids jsonb NOT NULL,
    last_round_robin text
);

CREATE TABLE projects (
    community_id text NOT NULL,
    number text NOT NULL,
    status text NOT NULL,
    created_at timestamptz NOT NULL,
    version integer NOT NULL,
    doc json NOT NULL,
    PRIMARY KEY (community_id, number)
);

CREATE TABLE mediation_cases (
    community_id text NOT NULL,
    number text NOT NULL,
    ticket_number text,
    party_ids text[] NOT NULL,
    opened_at timestamptz NOT NULL,
    version integer NOT NULL,
    doc json NOT NULL,
    PRIMARY KEY (community_id, number)
);
-- A complaint ticket has one case at most.
CREATE UNIQUE INDEX mediation_cases_by_ticket ON mediation_cases (community_id, ticket_number)
    WHERE ticket_number IS NOT NULL;
CREATE INDEX mediation_cases_by_party ON mediation_cases USING gin (party_ids);
