using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Linli.Chat;

/// <summary>One sentence in each language Linli speaks; zh-CN is the default.</summary>
public sealed class LocalizedText : Dictionary<string, string>
{
    public string For(string? locale) =>
        locale is not null && locale.StartsWith("en", StringComparison.OrdinalIgnoreCase) && TryGetValue("en", out var en)
            ? en
            : this["zh-CN"];

    public string Format(string? locale, params object[] args) => string.Format(For(locale), args);
}

public sealed class MenuItem : Dictionary<string, string>
{
    public string Id => this["id"];

    public string Title(string? locale) =>
        locale is not null && locale.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? this["en"] : this["zh-CN"];

    public bool Matches(string text) =>
        this.Where(kv => kv.Key != "id").Any(kv => string.Equals(kv.Value, text.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>dialogs/common.yaml: the welcome, the main menu and the bot's fallbacks.</summary>
public sealed class CommonPhrases
{
    public required LocalizedText Welcome { get; init; }
    public required List<MenuItem> Menu { get; init; }
    public required LocalizedText ComingSoon { get; init; }
    public required LocalizedText Heard { get; init; }
    public required LocalizedText AttachmentReceived { get; init; }
    public required LocalizedText Error { get; init; }

    public static CommonPhrases Load(string dialogsFolder)
    {
        var path = Path.Combine(dialogsFolder, "common.yaml");
        var yaml = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        return yaml.Deserialize<CommonPhrases>(File.ReadAllText(path))
               ?? throw new InvalidDataException($"{path} is empty.");
    }
}
