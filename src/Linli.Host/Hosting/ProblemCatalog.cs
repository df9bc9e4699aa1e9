using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using YamlDotNet.Serialization;

namespace Linli.Hosting;

/// <summary>
/// dialogs/problems.yaml: the title and detail of every refusal, by key, in Chinese and English, with named
/// placeholders (<c>{number}</c>, or <c>{until:yyyy-MM-dd}</c> with an invariant-culture format). Loaded once, at
/// start; a key without a title and detail in both languages stops the load with its name.
/// </summary>
public sealed partial class ProblemCatalog
{
    public const string Chinese = "zh-CN", English = "en";

    private static readonly Lazy<ProblemCatalog> Loaded = new(() =>
        Load(Path.Combine(AppContext.BaseDirectory, "dialogs", "problems.yaml")));

    private readonly FrozenDictionary<string, FrozenDictionary<string, ProblemText>> _entries;

    private ProblemCatalog(FrozenDictionary<string, FrozenDictionary<string, ProblemText>> entries) =>
        _entries = entries;

    /// <summary>The catalog shipped beside the app, read the first time a refusal is said (or at start).</summary>
    public static ProblemCatalog Default => Loaded.Value;

    public IEnumerable<string> Keys => _entries.Keys;

    public bool Contains(string key) => _entries.ContainsKey(key);

    /// <summary>The names a key's texts use, in either language (the code fills them all).</summary>
    public IReadOnlySet<string> PlaceholdersOf(string key) =>
        Entry(key).Values.SelectMany(Placeholders).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public static ProblemCatalog Load(string path)
    {
        var yaml = new DeserializerBuilder().Build();
        var raw = yaml.Deserialize<Dictionary<string, Dictionary<string, ProblemText>>>(File.ReadAllText(path))
                  ?? throw new InvalidDataException($"{path} is empty.");
        foreach (var (key, texts) in raw)
        {
            var complete = texts.TryGetValue(English, out var en) && texts.TryGetValue(Chinese, out var zh)
                && !string.IsNullOrWhiteSpace(en.Title) && !string.IsNullOrWhiteSpace(zh.Title)
                && en.Detail is not null && zh.Detail is not null;
            if (!complete)
                throw new InvalidDataException($"{path}: '{key}' needs a title and a detail in en and zh-CN.");
        }
        return new ProblemCatalog(raw.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToFrozenDictionary()));
    }

    /// <summary>The key's title and detail in <paramref name="language"/> (English unless Chinese).</summary>
    public (string Title, string Detail) Render(string key, IReadOnlyDictionary<string, object?> values,
        string language)
    {
        var text = Entry(key)[language == Chinese ? Chinese : English];
        return (Fill(key, text.Title, values), Fill(key, text.Detail ?? "", values));
    }

    private FrozenDictionary<string, ProblemText> Entry(string key) =>
        _entries.TryGetValue(key, out var entry)
            ? entry
            : throw new KeyNotFoundException($"dialogs/problems.yaml has no refusal '{key}'.");

    private static IEnumerable<string> Placeholders(ProblemText text) =>
        Placeholder().Matches(text.Title + " " + text.Detail).Select(m => m.Groups["name"].Value);

    private static string Fill(string key, string template, IReadOnlyDictionary<string, object?> values) =>
        Placeholder().Replace(template, m =>
        {
            var name = m.Groups["name"].Value;
            if (!values.TryGetValue(name, out var value))
                throw new InvalidOperationException($"The refusal '{key}' needs a value for {{{name}}}.");
            var format = m.Groups["format"].Success ? m.Groups["format"].Value : null;
            return value is IFormattable formattable
                ? formattable.ToString(format, CultureInfo.InvariantCulture)
                : value?.ToString() ?? "";
        });

    /// <summary>
    /// The named values of an anonymous object (<c>new { number, project.Status }</c>) or a dictionary; names are
    /// matched whatever their case, so a member's own name (Status) fills {status}.
    /// </summary>
    public static Dictionary<string, object?> ValuesOf(object? values) => values switch
    {
        null => new(StringComparer.OrdinalIgnoreCase),
        IReadOnlyDictionary<string, object?> given => new(given, StringComparer.OrdinalIgnoreCase),
        _ => values.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(p => p.Name, p => p.GetValue(values), StringComparer.OrdinalIgnoreCase),
    };

    [GeneratedRegex(@"\{(?<name>[A-Za-z][A-Za-z0-9]*)(?::(?<format>[^}]+))?\}")]
    private static partial Regex Placeholder();
}

public sealed class ProblemText
{
    [YamlMember(Alias = "title")] public string Title { get; set; } = "";
    [YamlMember(Alias = "detail")] public string? Detail { get; set; }
}

/// <summary>Which of the catalog's two languages a caller reads, from what their browser or client asks.</summary>
public static class ProblemLanguage
{
    /// <summary>
    /// The most wanted language by q-value (a tie goes to the first named): any zh (zh, zh-CN, zh-Hans, zh-TW…)
    /// is Chinese; anything else, or no header at all, is English, so API clients keep their answers.
    /// </summary>
    public static string FromAcceptLanguage(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return ProblemCatalog.English;
        var ranked = header.Split(',')
            .Select((part, order) => (Range: Parse(part), Order: order))
            .Where(r => r.Range.Tag.Length > 0 && r.Range.Quality > 0)
            .OrderByDescending(r => r.Range.Quality).ThenBy(r => r.Order);
        foreach (var (range, _) in ranked)
        {
            if (range.Tag.Equals("zh", StringComparison.OrdinalIgnoreCase)
                || range.Tag.StartsWith("zh-", StringComparison.OrdinalIgnoreCase))
                return ProblemCatalog.Chinese;
            if (range.Tag != "*") return ProblemCatalog.English;
        }
        return ProblemCatalog.English;
    }

    private static (string Tag, double Quality) Parse(string part)
    {
        var pieces = part.Split(';');
        var quality = 1.0;
        foreach (var parameter in pieces.Skip(1))
        {
            var (name, value) = (parameter.Split('=')[0].Trim(), parameter.Split('=').ElementAtOrDefault(1)?.Trim());
            if (name.Equals("q", StringComparison.OrdinalIgnoreCase)
                && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out quality))
                quality = 0;
        }
        return (pieces[0].Trim(), quality);
    }
}
