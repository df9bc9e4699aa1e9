namespace Linli.Bot.Dialogs;

/// <summary>One sentence in each language the bot speaks; zh-CN is the default, "en…" locales get English.</summary>
public sealed class LocalizedText : Dictionary<string, string>
{
    public string For(string? locale) =>
        IsEnglish(locale) && TryGetValue("en", out var en) ? en : this["zh-CN"];

    public string Format(string? locale, params object?[] args) => string.Format(For(locale), args);

    public static bool IsEnglish(string? locale) => locale?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true;
}
