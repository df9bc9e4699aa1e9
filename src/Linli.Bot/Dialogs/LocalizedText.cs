using System.Globalization;

namespace Linli.Bot.Dialogs;

/// <summary>One sentence in each language the bot speaks; zh-CN is the default, "en…" locales get English.</summary>
public sealed class LocalizedText : Dictionary<string, string>
{
    public string For(string? locale) =>
        IsEnglish(locale) && TryGetValue("en", out var en) ? en : this["zh-CN"];

    /// <summary>
    /// The sentence with its named placeholders ("单子 {number} 已收到") filled in. A placeholder the caller does
    /// not supply throws rather than reach a resident as "{number}"; a value the sentence does not use is fine (the
    /// other language may use it).
    /// </summary>
    public string Format(string? locale, params ReadOnlySpan<(string Name, object? Value)> values)
    {
        var template = For(locale);
        var text = new System.Text.StringBuilder(template.Length + 32);
        var at = 0;
        foreach (var (start, name) in Placeholders.In(template))
        {
            text.Append(template, at, start - at).Append(ValueOf(name, values, template));
            at = start + name.Length + 2;
        }
        return text.Append(template, at, template.Length - at).ToString();
    }

    /// <summary>The placeholder names each language uses, by language.</summary>
    public IEnumerable<(string Language, IReadOnlySet<string> Names)> Names() =>
        this.Select(kv => (kv.Key, (IReadOnlySet<string>)Placeholders.In(kv.Value).Select(p => p.Name).ToHashSet()));

    private static string? ValueOf(string name, ReadOnlySpan<(string Name, object? Value)> values, string template)
    {
        foreach (var (key, value) in values)
            if (key == name)
                return value is IFormattable formattable
                    ? formattable.ToString(null, CultureInfo.CurrentCulture)
                    : value?.ToString();
        throw new FormatException($"No value for {{{name}}} in \"{template}\".");
    }

    public static bool IsEnglish(string? locale) =>
        locale?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true;
}

/// <summary>Named placeholders in the bot's sentences: <c>{name}</c>, lower case letters and underscores.</summary>
public static class Placeholders
{
    public static IEnumerable<(int Start, string Name)> In(string template)
    {
        for (var i = template.IndexOf('{'); i >= 0; i = template.IndexOf('{', i + 1))
        {
            var end = i + 1;
            while (end < template.Length && (char.IsAsciiLetterLower(template[end]) || template[end] == '_')) end++;
            if (end > i + 1 && end < template.Length && template[end] == '}')
                yield return (i, template[(i + 1)..end]);
        }
    }
}
