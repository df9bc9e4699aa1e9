using System.Data;
using Dapper;

namespace Linli.Storage.Postgres;

/// <summary>
/// Numbers without gaps (receipts, ledger lines, fund entries and applications, the fee totals' version; the series of
/// ticket, project and mediation numbers), each a row of <c>counters</c> under its community and a name. Taken inside
/// the transaction that uses the number: the row stays locked until it commits, so writers on every instance take
/// turns, and a rollback gives the number back.
/// </summary>
internal static class PgCounters
{
    private static readonly char[] Digits = [.. "0123456789"];

    /// <summary>The next number, starting at 1.</summary>
    public static int Next(IDbConnection c, IDbTransaction t, string communityId, string name) =>
        c.ExecuteScalar<int>("""
            INSERT INTO counters (community_id, name, last) VALUES (@communityId, @name, 1)
            ON CONFLICT (community_id, name) DO UPDATE SET last = counters.last + 1
            RETURNING last
            """, new { communityId, name }, t);

    /// <summary>
    /// The next number, only while the last is still <paramref name="last"/> (what the caller checked against):
    /// null otherwise, and nothing taken.
    /// </summary>
    public static int? NextAfter(IDbConnection c, IDbTransaction t, string communityId, string name, int last)
    {
        var next = c.ExecuteScalar<int?>("""
            UPDATE counters SET last = last + 1 WHERE community_id = @communityId AND name = @name AND last = @last
            RETURNING last
            """, new { communityId, name, last }, t);
        if (next is not null || last != 0) return next;
        // The counter's first number: made now, unless another writer made it first.
        return c.ExecuteScalar<int?>("""
            INSERT INTO counters (community_id, name, last) VALUES (@communityId, @name, 1)
            ON CONFLICT (community_id, name) DO NOTHING RETURNING last
            """, new { communityId, name }, t);
    }

    /// <summary>
    /// The last number, the counter locked until the transaction ends: a check against it holds while the caller
    /// writes (a ledger line for a month not closed, a close of figures still true).
    /// </summary>
    public static int Lock(IDbConnection c, IDbTransaction t, string communityId, string name) =>
        c.ExecuteScalar<int>("""
            INSERT INTO counters (community_id, name, last) VALUES (@communityId, @name, 0)
            ON CONFLICT (community_id, name) DO UPDATE SET last = counters.last
            RETURNING last
            """, new { communityId, name }, t);

    /// <summary>The last number taken; 0 before the first.</summary>
    public static int Last(IDbConnection c, string communityId, string name) =>
        c.ExecuteScalar<int?>("SELECT last FROM counters WHERE community_id = @communityId AND name = @name",
            new { communityId, name }) ?? 0;

    /// <summary>"TJ-2026-0001" → "TJ-2026-": the series a number counts in.</summary>
    public static string PrefixOf(string number) => number.TrimEnd(Digits);

    /// <summary>The counter of the numbers in <paramref name="table"/> that start with <paramref name="prefix"/>.
    /// </summary>
    public static string Series(string table, string prefix) => $"{table}|{prefix}";

    /// <summary>
    /// The next count among the numbers starting with <paramref name="prefix"/> in <paramref name="table"/>'s
    /// <c>number</c> column, of the community (or, with "", of every community). A new series starts after the highest
    /// number the table already holds (rows copied in from elsewhere).
    /// </summary>
    public static int NextInSeries(IDbConnection c, IDbTransaction t, string table, string communityId, string prefix)
    {
        var args = new { communityId, name = Series(table, prefix), prefix };
        var next = c.ExecuteScalar<int?>("""
            UPDATE counters SET last = last + 1 WHERE community_id = @communityId AND name = @name RETURNING last
            """, args, t);
        if (next is { } taken) return taken;
        var ofCommunity = communityId == "" ? "" : "community_id = @communityId AND";
        return c.ExecuteScalar<int>($$"""
            INSERT INTO counters AS n (community_id, name, last)
            VALUES (@communityId, @name, coalesce((
                SELECT max(CASE WHEN substr(number, length(@prefix) + 1) ~ '^[0-9]{1,9}$'
                    THEN substr(number, length(@prefix) + 1)::int END)
                FROM {{table}} WHERE {{ofCommunity}} number LIKE @prefix || '%'), 0) + 1)
            ON CONFLICT (community_id, name) DO UPDATE SET last = n.last + 1
            RETURNING last
            """, args, t);
    }
}
