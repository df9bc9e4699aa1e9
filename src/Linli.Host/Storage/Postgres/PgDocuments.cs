using System.Data;
using System.Text.Json;
using Dapper;

namespace Linli.Storage.Postgres;

/// <summary>Records kept whole as a <c>json</c> document beside the columns their queries use.</summary>
internal static class PgDocuments
{
    public static string Write<T>(T record) => JsonSerializer.Serialize(record, PostgresTypes.Json);

    public static T Read<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, PostgresTypes.Json) ?? throw new InvalidDataException("An empty document");

    /// <summary>
    /// Text for a column a query filters on: PostgreSQL text cannot hold a NUL character (the document keeps the
    /// text as written).
    /// </summary>
    public static string? Column(string? text) => text?.Replace("\0", "", StringComparison.Ordinal);
}

/// <summary>Numbers without gaps, each series counted in one row of <c>number_counters</c>.</summary>
internal static class PgNumbering
{
    private static readonly char[] Digits = [.. "0123456789"];

    /// <summary>"TJ-2026-0001" → "TJ-2026-": the series a number counts in.</summary>
    public static string PrefixOf(string number) => number.TrimEnd(Digits);

    /// <summary>
    /// The next count among the numbers starting with <paramref name="prefix"/> in <paramref name="table"/>'s
    /// <c>number</c> column, of the community (or, with "", of every community). Call it in the transaction that uses
    /// the number, which then holds the series' row until it ends (a rollback gives the number back). A new series
    /// starts after the highest number the table already holds (rows copied in from elsewhere).
    /// </summary>
    public static long Next(IDbConnection connection, IDbTransaction transaction, string table, string communityId,
        string prefix)
    {
        var series = $"{table}|{prefix}";
        var ofCommunity = communityId == "" ? "" : "community_id = @communityId AND";
        var highestSql = $$"""
            SELECT max(CASE WHEN substr(number, length(@prefix) + 1) ~ '^[0-9]{1,18}$'
                THEN substr(number, length(@prefix) + 1)::bigint END)
            FROM {{table}} WHERE {{ofCommunity}} number LIKE @prefix || '%'
            """;
        var args = new { communityId, series, prefix };
        var next = connection.QuerySingleOrDefault<long?>("""
            UPDATE number_counters SET last = last + 1 WHERE community_id = @communityId AND series = @series
            RETURNING last
            """, args, transaction);
        return next ?? connection.QuerySingle<long>($"""
            INSERT INTO number_counters AS n (community_id, series, last)
            VALUES (@communityId, @series, coalesce(({highestSql}), 0) + 1)
            ON CONFLICT (community_id, series) DO UPDATE SET last = n.last + 1
            RETURNING last
            """, args, transaction);
    }
}
