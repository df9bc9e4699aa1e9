namespace Linli.Hosting;

/// <summary>
/// The one way a request's enum is read, from a query, a route or a JSON body: by a member's name, whatever its case,
/// never by its number ("3") nor a list ("Funding, InProgress"), which Enum.TryParse would take.
/// </summary>
public static class EnumNames
{
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        var trimmed = text?.Trim();
        var name = Enum.GetNames<T>().FirstOrDefault(n => n.Equals(trimmed, StringComparison.OrdinalIgnoreCase));
        value = name is null ? default : Enum.Parse<T>(name);
        return name is not null;
    }

    /// <summary>
    /// The member named, or a 400 naming <paramref name="field"/>, said by the catalog's <paramref name="key"/>
    /// (given {names}: the members, comma-separated).
    /// </summary>
    public static T Parse<T>(string? text, string field, string key) where T : struct, Enum =>
        TryParse<T>(text, out var value) ? value : throw DomainProblem.Bad(key, new { names = List<T>() }, field);

    /// <summary>Like <see cref="Parse{T}"/>, with null for a value not given.</summary>
    public static T? ParseOptional<T>(string? text, string field, string key) where T : struct, Enum =>
        text is null ? null : Parse<T>(text, field, key);

    public static string List<T>() where T : struct, Enum => string.Join(", ", Enum.GetNames<T>());
}
