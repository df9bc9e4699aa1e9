using System.Data;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Linli.Calendar;
using Npgsql;
using NpgsqlTypes;

namespace Linli.Storage.Postgres;

/// <summary>
/// One PostgreSQL database shared by every Linli instance: a pooled data source, the schema brought up to date at
/// open (<see cref="Migrations"/>), and transactions for writes that must land together.
/// </summary>
public sealed class PostgresDatabase : IDisposable
{
    private readonly NpgsqlDataSource _source;

    private PostgresDatabase(NpgsqlDataSource source) => _source = source;

    static PostgresDatabase() => PostgresTypes.Register();

    /// <summary>Connects, and applies the migrations this build knows and the database lacks.</summary>
    public static PostgresDatabase Open(string connectionString)
    {
        var database = new PostgresDatabase(NpgsqlDataSource.Create(connectionString));
        try
        {
            using var connection = database.Connect();
            Migrations.Apply(connection);
            return database;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    public string Name => new NpgsqlConnectionStringBuilder(_source.ConnectionString).Database ?? "";

    /// <summary>An open connection from the pool; dispose it to give it back.</summary>
    public NpgsqlConnection Connect() => _source.OpenConnection();

    public ValueTask<NpgsqlConnection> ConnectAsync(CancellationToken cancellationToken) =>
        _source.OpenConnectionAsync(cancellationToken);

    /// <summary>Runs <paramref name="work"/> on one connection.</summary>
    public T Run<T>(Func<NpgsqlConnection, T> work)
    {
        using var connection = Connect();
        return work(connection);
    }

    /// <summary>Runs <paramref name="work"/> on one connection, waiting for it without holding a thread.</summary>
    public async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> work)
    {
        await using var connection = await ConnectAsync(CancellationToken.None);
        return await work(connection);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction: all of it commits or none does. Pass the transaction to every
    /// command (Dapper's <c>transaction:</c>).
    /// </summary>
    public T InTransaction<T>(Func<NpgsqlConnection, IDbTransaction, T> work,
        IsolationLevel isolation = IsolationLevel.ReadCommitted)
    {
        using var connection = Connect();
        using var transaction = connection.BeginTransaction(isolation);
        var result = work(connection, transaction);
        transaction.Commit();
        return result;
    }

    public void Dispose() => _source.Dispose();
}

/// <summary>
/// How Linli's values cross to PostgreSQL: instants as <c>timestamptz</c>, dates as <c>date</c>, months as the
/// <c>date</c> of their first day.
/// </summary>
internal static class PostgresTypes
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        // Columns are snake_case (published_at), properties PascalCase (PublishedAt).
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        // Dapper maps these types itself before it asks a handler: without removing its mapping, an instant at +08:00
        // would reach Npgsql as it is, and Npgsql writes only UTC to timestamptz.
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.AddTypeHandler(new InstantHandler());
        SqlMapper.AddTypeHandler(new DateHandler());
        SqlMapper.AddTypeHandler(new PeriodHandler());
        // Lists kept inside their row, as jsonb.
        SqlMapper.AddTypeHandler(new JsonHandler<List<People.Role>>());
        SqlMapper.AddTypeHandler(new JsonHandler<List<People.UnitBinding>>());
        SqlMapper.AddTypeHandler(new JsonHandler<List<string>>());
        SqlMapper.AddTypeHandler(new JsonHandler<TeaTable.Conclusion>());
        SqlMapper.AddTypeHandler(new JsonHandler<TeaTable.Proposal>());
        SqlMapper.AddTypeHandler(new JsonHandler<TeaTable.Hidden>());
        SqlMapper.AddTypeHandler(new JsonHandler<List<TeaTable.Flag>>());
        // A post's reactions keep the order the emoji were first used in: json, as written.
        SqlMapper.AddTypeHandler(new JsonHandler<Dictionary<string, List<string>>>(NpgsqlDbType.Json));
        SqlMapper.AddTypeHandler(new JsonHandler<List<int>>());
        SqlMapper.AddTypeHandler(new JsonHandler<List<Fees.PaymentLine>>());
        SqlMapper.AddTypeHandler(new JsonHandler<List<MaintenanceFund.Quote>>());
        SqlMapper.AddTypeHandler(new JsonHandler<TeaTable.Tally>());
    }

    /// <summary>Enums by name, as in every other JSON Linli writes.</summary>
    public static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>
    /// A value kept as <c>jsonb</c> (a list that belongs to its row and is read with it), or as <c>json</c> where the
    /// order of an object's keys is part of it.
    /// </summary>
    private sealed class JsonHandler<T>(NpgsqlDbType type = NpgsqlDbType.Jsonb) : SqlMapper.TypeHandler<T>
    {
        public override void SetValue(IDbDataParameter parameter, T? value)
        {
            ((NpgsqlParameter)parameter).NpgsqlDbType = type;
            parameter.Value = JsonSerializer.Serialize(value, Json);
        }

        public override T? Parse(object value) => JsonSerializer.Deserialize<T>((string)value, Json);
    }

    /// <summary>
    /// Npgsql writes only UTC offsets to <c>timestamptz</c> and reads it back as a UTC <see cref="DateTime"/>: the
    /// instant is what is kept (an offset was never part of it).
    /// </summary>
    private sealed class InstantHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) =>
            parameter.Value = value.ToUniversalTime();

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
            DateTimeOffset instant => instant,
            _ => throw new InvalidCastException($"Not an instant: {value.GetType().Name}"),
        };
    }

    private sealed class DateHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            parameter.DbType = DbType.Date;
            parameter.Value = value;
        }

        public override DateOnly Parse(object value) => value switch
        {
            DateOnly date => date,
            DateTime day => DateOnly.FromDateTime(day),
            _ => throw new InvalidCastException($"Not a date: {value.GetType().Name}"),
        };
    }

    /// <summary>A month as the date of its first day: ordered and compared as months are.</summary>
    private sealed class PeriodHandler : SqlMapper.TypeHandler<Period>
    {
        public override void SetValue(IDbDataParameter parameter, Period value)
        {
            parameter.DbType = DbType.Date;
            parameter.Value = value.FirstDay;
        }

        public override Period Parse(object value) => value switch
        {
            DateOnly date => Period.Of(date),
            DateTime day => new Period(day.Year, day.Month),
            _ => throw new InvalidCastException($"Not a month: {value.GetType().Name}"),
        };
    }
}
