using System.Reflection;
using System.Text.RegularExpressions;
using Linli.Bot.Dialogs;
using Linli.Bot.Schema;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Linli.Phrases;

public sealed class MenuItem : Dictionary<string, string>
{
    public string Id => this["id"];

    public string Title(string? locale) => LocalizedText.IsEnglish(locale) ? this["en"] : this["zh-CN"];

    public bool Matches(string text) =>
        this.Where(kv => kv.Key != "id")
            .Any(kv => string.Equals(kv.Value, text.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>The named placeholders a sentence is filled with: its callers supply exactly these.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FilledWithAttribute(params string[] names) : Attribute
{
    public IReadOnlyList<string> Names { get; } = names;
}

/// <summary>
/// dialogs/common.yaml: what the bot says outside any one dialog, and the engine's own words. Shared ground: the chat
/// says most of it, and the features that write to residents (fee reminders, notices, the tea table's timers, the
/// staff console's handoff) say the rest.
/// </summary>
public sealed partial class CommonPhrases
{
    public required LocalizedText Welcome { get; init; }
    public required List<MenuItem> Menu { get; init; }
    [FilledWith("service")] public required LocalizedText ComingSoon { get; init; }
    [FilledWith("said")] public required LocalizedText Heard { get; init; }
    public required LocalizedText HeardAgain { get; init; }
    [FilledWith("one", "other")] public required LocalizedText WhichOne { get; init; }
    public required Dictionary<string, LocalizedText> IntentNames { get; init; }
    public required LocalizedText ThanksReply { get; init; }
    public required LocalizedText Goodbye { get; init; }
    public required List<string> ThanksWords { get; init; }
    public required List<string> GoodbyeWords { get; init; }
    public required List<string> FalseAlarmWords { get; init; }
    /// <summary>The emergency's number, and the name of what it becomes.</summary>
    [FilledWith("number", "service")] public required LocalizedText FalseAlarm { get; init; }
    /// <summary>The note on an emergency stood down, for staff (Chinese only).</summary>
    [FilledWith("service")] public required LocalizedText FalseAlarmNote { get; init; }
    [FilledWith("tickets")] public required LocalizedText MyTickets { get; init; }
    /// <summary>One line of <see cref="MyTickets"/>.</summary>
    [FilledWith("number", "kind", "what", "state")] public required LocalizedText MyTicketLine { get; init; }
    public required LocalizedText NoTickets { get; init; }
    public required List<string> StatusWords { get; init; }
    public required List<string> TicketWords { get; init; }
    public required List<string> MyTicketWords { get; init; }
    public required Dictionary<string, LocalizedText> TicketKinds { get; init; }
    public required Dictionary<string, LocalizedText> TicketStates { get; init; }
    public required LocalizedText ResumeAfterHandoff { get; init; }
    public required LocalizedText EmergencyStands { get; init; }
    public required LocalizedText EmergencyNoted { get; init; }
    [FilledWith("count")] public required LocalizedText AttachmentReceived { get; init; }
    public required LocalizedText Error { get; init; }
    public required LocalizedText Help { get; init; }
    public required LocalizedText HelpInDialog { get; init; }
    public required LocalizedText Cancelled { get; init; }
    public required LocalizedText NothingToCancel { get; init; }
    public required LocalizedText Expired { get; init; }
    [FilledWith("service")] public required LocalizedText SwitchQuestion { get; init; }
    [FilledWith("number")] public required LocalizedText Handoff { get; init; }
    public required DialogPhrases Engine { get; init; }
    /// <summary>What the resident is told when their ticket moves on, by status name.</summary>
    [FilledWith("number")] public required Dictionary<string, LocalizedText> TicketStatus { get; init; }
    /// <summary>The emergency ladder's steps (ack, on_the_way, on_site).</summary>
    [FilledWith("number")] public required Dictionary<string, LocalizedText> TicketLadder { get; init; }
    [FilledWith("title", "body")] public required LocalizedText NoticePushed { get; init; }
    [FilledWith("name")] public required LocalizedText HandoffAccepted { get; init; }
    public required LocalizedText HandoffCompleted { get; init; }
    [FilledWith("number", "respond_by")] public required LocalizedText TicketReceived { get; init; }
    [FilledWith("number")] public required LocalizedText TicketNotFound { get; init; }
    [FilledWith("flat", "amount", "months", "how_to_pay")] public required LocalizedText ArrearsReminder { get; init; }
    [FilledWith("title", "deadline", "link")] public required LocalizedText TeaVoteReminder { get; init; }
    [FilledWith("title", "count", "latest", "link")] public required LocalizedText TeaDigest { get; init; }

    /// <summary>The main menu as buttons.</summary>
    public IEnumerable<CardAction> MenuButtons(string? locale) => Menu.Select(m => CardAction.ImBack(m.Title(locale)));

    public static CommonPhrases Load(string dialogsFolder)
    {
        var path = Path.Combine(dialogsFolder, "common.yaml");
        var yaml = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        var phrases = yaml.Deserialize<CommonPhrases>(File.ReadAllText(path))
                      ?? throw new InvalidDataException($"{path} is empty.");
        var wrong = phrases.PlaceholderErrors().ToList();
        if (wrong.Count > 0)
            throw new InvalidDataException($"{path}, placeholders:\n{string.Join("\n", wrong)}");
        return phrases;
    }

    /// <summary>
    /// Every sentence's placeholders against what its callers fill (<see cref="FilledWithAttribute"/>), in every
    /// language: a name nobody fills, a name left out, or a numbered <c>{0}</c>. Empty when all is well.
    /// </summary>
    public IEnumerable<string> PlaceholderErrors()
    {
        foreach (var property in typeof(CommonPhrases).GetProperties())
        {
            var filled = property.GetCustomAttribute<FilledWithAttribute>()?.Names.ToHashSet() ?? [];
            var texts = property.GetValue(this) switch
            {
                LocalizedText text => [(property.Name, text)],
                Dictionary<string, LocalizedText> many => many.Select(kv => ($"{property.Name}.{kv.Key}", kv.Value)),
                _ => [],
            };
            foreach (var (name, text) in texts)
            {
                foreach (var (language, sentence) in text)
                    if (Numbered().IsMatch(sentence))
                        yield return $"{name} ({language}) has a numbered placeholder; name it.";
                foreach (var (language, used) in text.Names())
                    if (!used.SetEquals(filled))
                        yield return $"{name} ({language}) uses {{{string.Join("}, {", used)}}}, "
                                     + $"its callers fill {{{string.Join("}, {", filled)}}}.";
            }
        }
    }

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Numbered();
}
