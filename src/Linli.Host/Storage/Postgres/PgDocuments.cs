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
