namespace Linli.Storage.LiteDb;

/// <summary>A named value of the database: counters (see <see cref="Counters"/>) and signing keys.</summary>
public sealed record SettingRecord(string Id, string Value);

/// <summary>An activity already handled, so the Connector's retry of it is not handled twice.</summary>
public sealed record ProcessedActivity(string Id, DateTimeOffset At);
