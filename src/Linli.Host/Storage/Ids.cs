namespace Linli.Storage;

/// <summary>
/// Ids made by the application, not the database: a write that is retried carries the same id and lands once, and
/// any store (LiteDB, PostgreSQL) keeps them as they are. Version 7 GUIDs sort by creation time.
/// </summary>
public static class Ids
{
    public static string New() => Guid.CreateVersion7().ToString("N");
}
