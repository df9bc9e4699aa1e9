-- Fees (bills, payments, the running totals), public revenue, the maintenance fund, and the counters they number by.
-- Bills and payments are the largest tables of a city (millions of bills): every key and index leads with the
-- community, so they can be partitioned by it. A month (Period) is the date of its first day.

-- Numbers without gaps, each under its community and a name ("receipt|20261115", "fee-totals", "revenue", "fund",
-- "fund-application|2026"). Taken by an upsert that adds one in the transaction that uses it: the row lock makes
-- writers of one counter take turns on any instance, and a rollback gives the number back.
CREATE TABLE counters (
    community_id text NOT NULL,
    name text NOT NULL,
    last int NOT NULL,
    PRIMARY KEY (community_id, name)
);

CREATE TABLE bills (
    community_id text NOT NULL,
    -- "{unitId}/{period}/{kind}"
    id text NOT NULL,
    building_id text NOT NULL,
    unit_id text NOT NULL,
    period date NOT NULL,
    kind text NOT NULL,
    amount_due numeric NOT NULL,
    amount_paid numeric NOT NULL,
    due_date date NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX bills_by_unit ON bills (community_id, unit_id, period);
CREATE INDEX bills_by_month ON bills (community_id, period);
-- A flat's unpaid bills (what LiteDB keeps as flat_arrears): one range of this index however long its history, and
-- always what the bills say, as a payment changes both in one statement.
CREATE INDEX bills_unpaid ON bills (community_id, unit_id, period) WHERE amount_paid < amount_due;

CREATE TABLE payments (
    community_id text NOT NULL,
    -- "{source}:{transaction id}"
    id text NOT NULL,
    unit_id text NOT NULL,
    paid_at timestamptz NOT NULL,
    method text NOT NULL,
    -- [{"BillId": "...", "Amount": 150.00}]: read and written with the payment.
    lines jsonb NOT NULL,
    receipt_number text NOT NULL,
    prepaid numeric NOT NULL,
    source text NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX payments_by_unit ON payments (community_id, unit_id, paid_at DESC);

-- A payment id is recorded once in any community (a statement imported into the wrong estate pays nothing twice):
-- the one key by id alone, claimed by an insert in the payment's transaction. Small rows, never partitioned.
CREATE TABLE payment_ids (
    id text PRIMARY KEY,
    community_id text NOT NULL
);

-- Running totals of a community's months ("{community}/{period}", building_id null) and of each building's
-- ("{community}/{period}/{building}"), moved by each payment in its transaction (added to, so writers never race).
CREATE TABLE fee_totals (
    community_id text NOT NULL,
    id text NOT NULL,
    building_id text,
    period date NOT NULL,
    due numeric NOT NULL,
    paid numeric NOT NULL,
    units int NOT NULL,
    units_settled int NOT NULL,
    recovered numeric NOT NULL,
    prepaid numeric NOT NULL,
    PRIMARY KEY (community_id, id)
);

CREATE TABLE revenue_lines (
    community_id text NOT NULL,
    number int NOT NULL,
    id text NOT NULL,
    kind text NOT NULL,
    source text,
    purpose text,
    counterparty text NOT NULL,
    period date NOT NULL,
    amount numeric NOT NULL,
    note text NOT NULL,
    proofs jsonb NOT NULL,
    reverses int,
    recorded_at timestamptz NOT NULL,
    recorded_by text NOT NULL,
    PRIMARY KEY (community_id, number)
);
CREATE INDEX revenue_lines_by_month ON revenue_lines (community_id, period, number);

CREATE TABLE revenue_closes (
    community_id text NOT NULL,
    period date NOT NULL,
    id text NOT NULL,
    opening numeric NOT NULL,
    income numeric NOT NULL,
    spending numeric NOT NULL,
    closing numeric NOT NULL,
    closed_at timestamptz NOT NULL,
    closed_by text NOT NULL,
    PRIMARY KEY (community_id, period)
);

CREATE TABLE revenue_sign_offs (
    community_id text NOT NULL,
    -- "{community}/{period}/{person}": one signature per auditor and month.
    id text NOT NULL,
    period date NOT NULL,
    person_id text NOT NULL,
    name text NOT NULL,
    note text NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX revenue_sign_offs_by_month ON revenue_sign_offs (community_id, period, at);

-- Objections are whole numbers from one sequence, as LiteDB's were (a sequence, not an identity column: PostgreSQL
-- before 17 has none on a partitioned table).
CREATE SEQUENCE revenue_objection_ids AS int;
CREATE TABLE revenue_objections (
    community_id text NOT NULL,
    id int NOT NULL DEFAULT nextval('revenue_objection_ids'),
    period date NOT NULL,
    line_number int NOT NULL,
    person_id text NOT NULL,
    name text NOT NULL,
    text text NOT NULL,
    at timestamptz NOT NULL,
    answer text,
    answered_by text,
    answered_at timestamptz,
    PRIMARY KEY (community_id, id)
);
ALTER SEQUENCE revenue_objection_ids OWNED BY revenue_objections.id;
CREATE INDEX revenue_objections_by_month ON revenue_objections (community_id, period, id);

CREATE TABLE revenue_auditors (
    community_id text NOT NULL,
    -- "{community}/{person}"
    id text NOT NULL,
    person_id text NOT NULL,
    name text NOT NULL,
    appointed_by text NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (community_id, id)
);

CREATE TABLE fund_entries (
    community_id text NOT NULL,
    number int NOT NULL,
    id text NOT NULL,
    kind text NOT NULL,
    amount numeric NOT NULL,
    unit_id text,
    -- [2, 3]: building numbers sharing the entry.
    buildings jsonb NOT NULL,
    date date NOT NULL,
    note text NOT NULL,
    application text,
    vote_thread int,
    -- The vote's count at its close, read with the entry.
    vote jsonb,
    recorded_by text NOT NULL,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (community_id, number)
);
CREATE INDEX fund_entries_by_application ON fund_entries (community_id, application) WHERE application IS NOT NULL;

CREATE TABLE fund_applications (
    community_id text NOT NULL,
    -- "{community}/{number}"
    id text NOT NULL,
    number text NOT NULL,
    title text NOT NULL,
    description text NOT NULL,
    buildings jsonb NOT NULL,
    estimate numeric NOT NULL,
    -- [{"Supplier": "...", "Amount": 5000, "Proof": "..."}]
    quotes jsonb NOT NULL,
    matter text NOT NULL,
    emergency boolean NOT NULL,
    emergency_reason text,
    thread int NOT NULL,
    "by" text NOT NULL,
    at timestamptz NOT NULL,
    confirmed_by text,
    confirmed_at timestamptz,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX fund_applications_latest ON fund_applications (community_id, at DESC);
