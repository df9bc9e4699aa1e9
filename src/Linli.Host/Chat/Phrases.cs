using Linli.Bot.Dialogs;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Linli.Chat;

public sealed class MenuItem : Dictionary<string, string>
{
    public string Id => this["id"];

    public string Title(string? locale) => LocalizedText.IsEnglish(locale) ? this["en"] : this["zh-CN"];

    public bool Matches(string text) =>
        this.Where(kv => kv.Key != "id").Any(kv => string.Equals(kv.Value, text.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>dialogs/common.yaml: what the bot says outside any one dialog, and the engine's own words.</summary>
public sealed class CommonPhrases
{
    public required LocalizedText Welcome { get; init; }
    public required List<MenuItem> Menu { get; init; }
    public required LocalizedText ComingSoon { get; init; }
    public required LocalizedText Heard { get; init; }
    public required LocalizedText HeardAgain { get; init; }
    public required LocalizedText WhichOne { get; init; }
    public required Dictionary<string, LocalizedText> IntentNames { get; init; }
    public required LocalizedText ThanksReply { get; init; }
    public required LocalizedText Goodbye { get; init; }
    public required List<string> ThanksWords { get; init; }
    public required List<string> GoodbyeWords { get; init; }
    public required List<string> FalseAlarmWords { get; init; }
    /// <summary>{0} the emergency's number, {1} the name of what it becomes.</summary>
    public required LocalizedText FalseAlarm { get; init; }
    public required LocalizedText MyTickets { get; init; }
    public required LocalizedText NoTickets { get; init; }
    public required List<string> StatusWords { get; init; }
    public required List<string> TicketWords { get; init; }
    public required List<string> MyTicketWords { get; init; }
    public required Dictionary<string, LocalizedText> TicketKinds { get; init; }
    public required Dictionary<string, LocalizedText> TicketStates { get; init; }
    public required LocalizedText ResumeAfterHandoff { get; init; }
    public required LocalizedText EmergencyStands { get; init; }
    public required LocalizedText EmergencyNoted { get; init; }
    public required LocalizedText AttachmentReceived { get; init; }
    public required LocalizedText Error { get; init; }
    public required LocalizedText Help { get; init; }
    public required LocalizedText HelpInDialog { get; init; }
    public required LocalizedText Cancelled { get; init; }
    public required LocalizedText NothingToCancel { get; init; }
    public required LocalizedText Expired { get; init; }
    public required LocalizedText SwitchQuestion { get; init; }
    public required LocalizedText Handoff { get; init; }
    public required DialogPhrases Engine { get; init; }
    /// <summary>What the resident is told when their ticket moves on, by status name; {0} is the ticket number.</summary>
    public required Dictionary<string, LocalizedText> TicketStatus { get; init; }
    /// <summary>The emergency ladder's steps (ack, on_the_way, on_site); {0} is the case number.</summary>
    public required Dictionary<string, LocalizedText> TicketLadder { get; init; }
    public required LocalizedText NoticePushed { get; init; }
    public required LocalizedText HandoffAccepted { get; init; }
    public required LocalizedText HandoffCompleted { get; init; }
    public required LocalizedText TicketReceived { get; init; }
    public required LocalizedText TicketNotFound { get; init; }
    public required LocalizedText ArrearsReminder { get; init; }
    /// <summary>{0} thread title, {1} deadline (China time), {2} link.</summary>
    public required LocalizedText TeaVoteReminder { get; init; }
    /// <summary>{0} thread title, {1} how many new posts, {2} the latest one, {3} link.</summary>
    public required LocalizedText TeaDigest { get; init; }

    public static CommonPhrases Load(string dialogsFolder)
    {
        var path = Path.Combine(dialogsFolder, "common.yaml");
        var yaml = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        return yaml.Deserialize<CommonPhrases>(File.ReadAllText(path))
               ?? throw new InvalidDataException($"{path} is empty.");
    }
}
