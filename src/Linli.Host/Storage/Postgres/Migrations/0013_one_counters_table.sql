-- One table of counters: the series of tickets, projects and mediation cases ("tickets|BX-20261203-", community '')
-- join the money's counters, which had their own table. Names of the two never met.
INSERT INTO counters (community_id, name, last)
SELECT community_id, series, last::int FROM number_counters
ON CONFLICT (community_id, name) DO UPDATE SET last = greatest(counters.last, excluded.last);

DROP TABLE number_counters;
