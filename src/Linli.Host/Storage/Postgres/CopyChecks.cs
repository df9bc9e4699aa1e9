using System.Buffers.Binary;
using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Linli.Calendar;
using Npgsql;
using NpgsqlTypes;

namespace Linli.Storage.Postgres;

/// <summary>
/// A table as the catalog describes it: its columns in order with their types, which of them PostgreSQL fills itself
/// (identity), and its primary key.
/// </summary>
internal sealed record TableShape(string Name, IReadOnlyList<(string Name, string Type)> Columns,
    IReadOnlyList<string> Key)
{
    public static TableShape Of(NpgsqlConnection c, NpgsqlTransaction t, string table)
    {
        var columns = c.Query<(string Name, string Type, bool Identity, bool InKey)>("""
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attidentity <> '' OR a.attgenerated <> '',
                coalesce(a.attnum = ANY(i.indkey), false)
            FROM pg_attribute a
            JOIN pg_class r ON r.oid = a.attrelid
            LEFT JOIN pg_index i ON i.indrelid = r.oid AND i.indisprimary
            WHERE r.oid = to_regclass(@table) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """, new { table }, t).AsList();
        if (columns.Count == 0) throw new InvalidOperationException($"No table {table} in PostgreSQL.");
        // Columns PostgreSQL numbers itself are not copied, nor part of the key the copied rows are found by.
        var copied = columns.Where(x => !x.Identity).ToList();
        return new TableShape(table, [.. copied.Select(x => (x.Name, x.Type))],
            [.. copied.Where(x => x.InKey).Select(x => x.Name)]);
    }

    public bool KeyedByCommunity => Key.Contains("community_id");
}

/// <summary>
/// An order-independent checksum of a table's rows: each row's canonical values hashed with SHA-256, the hashes added
/// as 256-bit numbers (a sum, not an exclusive or, so a row twice is not a row never). The same values give the same
/// checksum whether they are about to be sent or were read back: instants as UTC microseconds, numbers without
/// trailing zeros, <c>jsonb</c> re-serialised with its keys sorted, <c>json</c> as written.
/// </summary>
internal sealed class RowChecksum
{
    private readonly ulong[] _sum = new ulong[4];
    private readonly IncrementalHash _row = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _hash = new byte[32];

    public long Rows { get; private set; }

    public string Value =>
        string.Concat(_sum.Reverse().Select(part => part.ToString("x16", CultureInfo.InvariantCulture)));

    public void Add(IReadOnlyList<string> types, IReadOnlyList<object?> values)
    {
        for (var i = 0; i < values.Count; i++) Canonical(types[i], values[i]);
        _row.GetHashAndReset(_hash);
        ulong carry = 0;
        for (var i = 0; i < 4; i++)
        {
            var part = BinaryPrimitives.ReadUInt64LittleEndian(_hash.AsSpan(i * 8));
            var sum = _sum[i] + part;
            var over = sum < part ? 1UL : 0UL;
            _sum[i] = sum + carry;
            carry = over | (_sum[i] < carry ? 1UL : 0UL);
        }
        Rows++;
    }

    private void Canonical(string type, object? value)
    {
        switch (value)
        {
            case null:
                Append('n', "");
                break;
            case string text when type == "jsonb":
                Append('j', CanonicalJson(text));
                break;
            case string text:
                Append('s', text);
                break;
            case int or long:
                var whole = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                Append('i', whole.ToString(CultureInfo.InvariantCulture));
                break;
            case decimal number:
                Append('d', Number(number));
                break;
            case bool flag:
                Append('b', flag ? "1" : "0");
                break;
            case DateTime instant:
                // PostgreSQL keeps microseconds.
                Append('t', (instant.ToUniversalTime().Ticks / 10).ToString(CultureInfo.InvariantCulture));
                break;
            case DateOnly date:
                Append('D', date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case byte[] bytes:
                Append('x', Convert.ToHexStringLower(SHA256.HashData(bytes)));
                break;
            case string[] list:
                Append('a', list.Length.ToString(CultureInfo.InvariantCulture));
                foreach (var item in list) Canonical("text", item);
                break;
            default:
                throw new InvalidOperationException($"No canonical form for {value.GetType().Name} ({type}).");
        }
    }

    private void Append(char kind, string text)
    {
        Span<byte> head = stackalloc byte[5];
        head[0] = (byte)kind;
        var bytes = Encoding.UTF8.GetBytes(text);
        BinaryPrimitives.WriteInt32LittleEndian(head[1..], bytes.Length);
        _row.AppendData(head);
        _row.AppendData(bytes);
    }

    private static string Number(decimal number)
    {
        var text = number.ToString(CultureInfo.InvariantCulture);
        if (text.Contains('.')) text = text.TrimEnd('0').TrimEnd('.');
        return text == "-0" ? "0" : text;
    }

    /// <summary>JSON with object keys sorted and numbers as <see cref="Number"/> writes them.</summary>
    public static string CanonicalJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var output = new StringBuilder();
        Write(document.RootElement, output);
        return output.ToString();
    }

    private static void Write(JsonElement element, StringBuilder output)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                output.Append('{');
                var first = true;
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first) output.Append(',');
                    first = false;
                    output.Append(JsonSerializer.Serialize(property.Name)).Append(':');
                    Write(property.Value, output);
                }
                output.Append('}');
                break;
            case JsonValueKind.Array:
                output.Append('[');
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (index++ > 0) output.Append(',');
                    Write(item, output);
                }
                output.Append(']');
                break;
            case JsonValueKind.String:
                output.Append(JsonSerializer.Serialize(element.GetString()));
                break;
            case JsonValueKind.Number:
                output.Append(element.TryGetDecimal(out var number) ? Number(number) : element.GetRawText());
                break;
            default:
                output.Append(element.GetRawText());
                break;
        }
    }
}

/// <summary>
/// What one table received from the file: its rows counted and summed, and the keys to find them again.
/// </summary>
internal sealed class TableCopy(TableShape shape)
{
    private readonly List<object?>[] _keys = [.. shape.Key.Select(_ => new List<object?>())];
    private readonly HashSet<string> _communities = [];

    public TableShape Shape { get; } = shape;
    public RowChecksum Sent { get; } = new();
    public IReadOnlyList<string> Types { get; } = [.. shape.Columns.Select(c => c.Type)];

    /// <summary>Each column's place in the key, or -1.</summary>
    private readonly int[] _inKey = [.. shape.Columns.Select(x => shape.Key.ToList().IndexOf(x.Name))];

    public void Add(object?[] values)
    {
        Sent.Add(Types, values);
        for (var i = 0; i < values.Length; i++)
            if (Shape.KeyedByCommunity)
            {
                if (Shape.Columns[i].Name == "community_id") _communities.Add((string)values[i]!);
            }
            else if (_inKey[i] >= 0)
                _keys[_inKey[i]].Add(values[i]);
    }

    /// <summary>
    /// The same sums over the table's rows as PostgreSQL now holds them: the rows of the copied communities, or, in a
    /// table whose key names no community, the rows under the keys sent.
    /// </summary>
    public RowChecksum ReadBack(NpgsqlConnection c, NpgsqlTransaction t)
    {
        var read = new RowChecksum();
        if (Sent.Rows == 0) return read;
        var columns = string.Join(", ", Shape.Columns.Select(x => Quote(x.Name)));
        using var command = new NpgsqlCommand { Connection = c, Transaction = t };
        string where;
        if (Shape.KeyedByCommunity)
        {
            where = "community_id = ANY(@communities)";
            command.Parameters.AddWithValue("communities", _communities.ToArray());
        }
        else
        {
            var names = Shape.Key.Select(Quote).ToList();
            for (var i = 0; i < names.Count; i++)
                // One column's keys may repeat (transcript lines of one conversation); pairs are kept as sent.
                command.Parameters.Add(KeyArray($"k{i}", Shape.Columns.First(x => x.Name == Shape.Key[i]).Type,
                    names.Count == 1 ? _keys[i].Distinct() : _keys[i]));
            where = names.Count == 1
                ? $"{names[0]} = ANY(@k0)"
                : $"({string.Join(", ", names)}) IN (SELECT * FROM unnest({string.Join(", ",
                    names.Select((_, i) => $"@k{i}"))}))";
        }
        command.CommandText = $"SELECT {columns} FROM {Shape.Name} WHERE {where}";
        using var reader = command.ExecuteReader();
        var values = new object?[Shape.Columns.Count];
        while (reader.Read())
        {
            for (var i = 0; i < values.Length; i++) values[i] = Read(reader, i, Types[i]);
            read.Add(Types, values);
        }
        return read;
    }

    private static NpgsqlParameter KeyArray(string name, string type, IEnumerable<object?> values) => type switch
    {
        "integer" => new NpgsqlParameter(name, values.Cast<int>().ToArray()),
        "bigint" => new NpgsqlParameter(name, values.Cast<long>().ToArray()),
        "text" => new NpgsqlParameter(name, values.Cast<string>().ToArray()),
        _ => throw new InvalidOperationException($"A key of type {type} cannot be looked up."),
    };

    /// <summary>A value read back, as the copy sends one of that type.</summary>
    private static object? Read(NpgsqlDataReader reader, int i, string type) =>
        reader.IsDBNull(i) ? null : type switch
        {
            "date" => reader.GetFieldValue<DateOnly>(i),
            "timestamp with time zone" => reader.GetFieldValue<DateTime>(i),
            "text[]" => reader.GetFieldValue<string[]>(i),
            "json" or "jsonb" => reader.GetFieldValue<string>(i),
            _ => reader.GetValue(i),
        };

    private static string Quote(string name) => $"\"{name}\"";
}

/// <summary>
/// A record's values for a table's columns, found as Dapper finds a store's parameters (column <c>unit_id</c> from
/// property <c>UnitId</c>) and converted as the stores' type handlers convert them: enums by name, instants to UTC,
/// months to their first day, lists and records to JSON.
/// </summary>
internal static class ColumnValues
{
    private static readonly Dictionary<(Type, string), PropertyInfo?> Properties = [];

    public static object? Of(object shaped, string column)
    {
        var type = shaped.GetType();
        PropertyInfo? property;
        lock (Properties)
            if (!Properties.TryGetValue((type, column), out property))
                Properties[(type, column)] = property = type.GetProperty(Pascal(column),
                    BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is null
            ? throw new InvalidOperationException($"{type.Name} has no value for column {column}.")
            : property.GetValue(shaped);
    }

    /// <summary><paramref name="value"/> as the copy writes a column of <paramref name="type"/>.</summary>
    public static object? Convert(object? value, string type, string column) => value switch
    {
        null => null,
        Enum name when type == "text" => name.ToString(),
        string when type is "text" or "json" or "jsonb" => value,
        _ when type is "json" or "jsonb" => JsonSerializer.Serialize(value, PostgresTypes.Json),
        int or long when type == "integer" => System.Convert.ToInt32(value, CultureInfo.InvariantCulture),
        int or long when type == "bigint" => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
        decimal when type == "numeric" => value,
        bool when type == "boolean" => value,
        DateTimeOffset instant when type == "timestamp with time zone" => instant.UtcDateTime,
        DateTime { Kind: DateTimeKind.Utc } when type == "timestamp with time zone" => value,
        DateOnly when type == "date" => value,
        Period month when type == "date" => month.FirstDay,
        byte[] when type == "bytea" => value,
        IEnumerable list and not string when type == "text[]" => list.Cast<string>().ToArray(),
        _ => throw new InvalidOperationException($"Column {column} ({type}) cannot take a {value.GetType().Name}."),
    };

    public static NpgsqlDbType DbType(string type) => type switch
    {
        "text" => NpgsqlDbType.Text,
        "integer" => NpgsqlDbType.Integer,
        "bigint" => NpgsqlDbType.Bigint,
        "numeric" => NpgsqlDbType.Numeric,
        "boolean" => NpgsqlDbType.Boolean,
        "timestamp with time zone" => NpgsqlDbType.TimestampTz,
        "date" => NpgsqlDbType.Date,
        "json" => NpgsqlDbType.Json,
        "jsonb" => NpgsqlDbType.Jsonb,
        "bytea" => NpgsqlDbType.Bytea,
        "text[]" => NpgsqlDbType.Array | NpgsqlDbType.Text,
        _ => throw new InvalidOperationException($"The copy does not write columns of type {type}."),
    };

    private static string Pascal(string column) =>
        string.Concat(column.Split('_')
            .Select(part => part.Length == 0 ? "" : char.ToUpperInvariant(part[0]) + part[1..]));
}
