-- The tea table: threads, their posts, owners' votes on proposals, followers' digest marks, and mutes.
-- The store numbers threads and posts across every community (the numbers people see and links carry; the clock and
-- the digests go through threads by number in every community). Each number comes from a sequence, which a table
-- partitioned by community shares as it is.

CREATE SEQUENCE tea_thread_ids AS integer;
CREATE SEQUENCE tea_post_ids AS integer;

CREATE TABLE tea_threads (
    community_id text NOT NULL,
    id int NOT NULL,
    building int,
    title text NOT NULL,
    author_id text NOT NULL,
    author_name text NOT NULL,
    created_at timestamptz NOT NULL,
    last_post_at timestamptz NOT NULL,
    post_count int NOT NULL,
    pinned boolean NOT NULL,
    locked boolean NOT NULL,
    lock_reason text,
    slow_mode_seconds int NOT NULL,
    closed boolean NOT NULL,
    conclusion jsonb,
    close_at timestamptz,
    reopen_at timestamptz,
    proposal jsonb,
    -- Person ids: read with the thread; the digests look for threads where it is not empty.
    followers jsonb NOT NULL,
    -- Every saved change counts one: a change is saved only against the version it was made to.
    version int NOT NULL,
    -- Copied from the proposal by the store, for the clock: its deadline while the count is not final
    -- (vote_deadline), and while its owners have not been reminded either (reminder_deadline).
    vote_deadline timestamptz,
    reminder_deadline timestamptz,
    PRIMARY KEY (community_id, id)
);
-- A page of threads: pinned first, then open before closed, then the most recently active.
CREATE INDEX tea_threads_listed ON tea_threads (community_id, pinned DESC, closed, last_post_at DESC, id);
-- The clock and the digests look in every community at once, so these do not lead with it; a partition by community
-- carries its own.
CREATE INDEX tea_threads_closing ON tea_threads (close_at) WHERE close_at IS NOT NULL;
CREATE INDEX tea_threads_reopening ON tea_threads (reopen_at) WHERE reopen_at IS NOT NULL;
CREATE INDEX tea_threads_voting ON tea_threads (vote_deadline) WHERE vote_deadline IS NOT NULL;
CREATE INDEX tea_threads_reminding ON tea_threads (reminder_deadline) WHERE reminder_deadline IS NOT NULL;
CREATE INDEX tea_threads_followed ON tea_threads (id) WHERE followers <> '[]'::jsonb;

-- One of the largest tables: keyed by community and thread, so it can be partitioned by community.
CREATE TABLE tea_posts (
    community_id text NOT NULL,
    thread_id int NOT NULL,
    id int NOT NULL,
    author_id text NOT NULL,
    author_name text NOT NULL,
    text text NOT NULL,
    html text NOT NULL,
    reply_to int,
    attachments jsonb NOT NULL,
    mentions jsonb NOT NULL,
    -- Emoji to who reacted, in the order they were first used: json keeps it as written (jsonb would sort the keys).
    reactions json NOT NULL,
    created_at timestamptz NOT NULL,
    edited_at timestamptz,
    hidden jsonb,
    flags jsonb NOT NULL,
    version int NOT NULL,
    PRIMARY KEY (community_id, thread_id, id),
    FOREIGN KEY (community_id, thread_id) REFERENCES tea_threads
);
-- A post by its number (links, replies, moderation).
CREATE INDEX tea_posts_by_id ON tea_posts (community_id, id);
-- An author's latest post in a thread (slow mode), and everything a resident wrote (their copy of their data).
CREATE INDEX tea_posts_by_author ON tea_posts (community_id, author_id, thread_id, id);
-- The moderators' queue: flagged or hidden posts, newest first.
CREATE INDEX tea_posts_for_review ON tea_posts (community_id, id) WHERE flags <> '[]'::jsonb OR hidden IS NOT NULL;

-- One vote per unit and proposal: the unit's last owner to vote speaks for it.
CREATE TABLE tea_votes (
    community_id text NOT NULL,
    thread_id int NOT NULL,
    unit_id text NOT NULL,
    person_id text NOT NULL,
    stance text NOT NULL,
    reason text,
    at timestamptz NOT NULL,
    PRIMARY KEY (community_id, thread_id, unit_id),
    FOREIGN KEY (community_id, thread_id) REFERENCES tea_threads
);

-- Where each follower's last digest of a thread got to.
CREATE TABLE tea_digests (
    community_id text NOT NULL,
    thread_id int NOT NULL,
    person_id text NOT NULL,
    last_post_id int NOT NULL,
    sent_at timestamptz,
    PRIMARY KEY (community_id, thread_id, person_id),
    FOREIGN KEY (community_id, thread_id) REFERENCES tea_threads
);

-- Who may not post in a community, until when: one mute per person and community.
CREATE TABLE tea_mutes (
    community_id text NOT NULL,
    person_id text NOT NULL,
    until timestamptz NOT NULL,
    reason text NOT NULL,
    muted_by text NOT NULL,
    PRIMARY KEY (community_id, person_id)
);
