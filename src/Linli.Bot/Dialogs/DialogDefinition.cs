namespace Linli.Bot.Dialogs;

/// <summary>
/// A dialog as <c>dialogs/*.yaml</c> declares it: what to ask, in order, and which handler finishes it.
/// </summary>
public sealed class DialogDefinition
{
    public string Id { get; set; } = "";
    /// <summary>The intent that starts this dialog.</summary>
    public string? Intent { get; set; }
    /// <summary>Said once when the dialog begins, before the first question.</summary>
    public LocalizedText? Intro { get; set; }
    public List<StepDefinition> Steps { get; set; } = [];
    /// <summary>
    /// A C# handler run the moment the dialog begins, before the intro and any question (an emergency pages staff
    /// here); what it returns joins the answers.
    /// </summary>
    public string? Begin { get; set; }
    /// <summary>The name of the C# handler that runs when every step is answered.</summary>
    public string Handler { get; set; } = "";
    /// <summary>
    /// How long this dialog waits for the user's next answer before it lapses (default: <see
    /// cref="DialogOptions.IdleTimeout"/>).
    /// </summary>
    public int? IdleMinutes { get; set; }
    /// <summary>
    /// Said after the handler ran; {name} placeholders are filled from the handler's result and the answers.
    /// </summary>
    public LocalizedText? Done { get; set; }
    /// <summary>
    /// Other endings, chosen by the handler returning { "outcome": name } (e.g. "not_found"); said instead of <see
    /// cref="Done"/>.
    /// </summary>
    public Dictionary<string, LocalizedText> Outcomes { get; set; } = [];
    /// <summary>
    /// One line that says back what was understood before the handler runs ("{unit}
    /// {description}，{visit_time}上门维修，对吗？"), with buttons to agree or correct. Asked whenever
    /// something was taken from what the resident said or by default rather than asked; {step} placeholders show each
    /// answer as the resident would say it.
    /// </summary>
    public LocalizedText? Confirm { get; set; }
    /// <summary>
    /// Words the handler puts into this dialog's sentences (a bill's line, a month, "… and 3 more"), by name; handed
    /// to it as <see cref="DialogCompletion.Texts"/> so that no sentence is written in C#.
    /// </summary>
    public Dictionary<string, LocalizedText> Texts { get; set; } = [];
    /// <summary>
    /// A button on every message of this dialog ("不是紧急情况"); what it does is the bot's business.
    /// </summary>
    public LocalizedText? SideButton { get; set; }
}

public sealed class StepDefinition
{
    public string Id { get; set; } = "";
    /// <summary>text, choice, number, period, confirm, unit or attachment.</summary>
    public string Prompt { get; set; } = "text";
    public LocalizedText Ask { get; set; } = new();
    /// <summary>Said when the answer does not fit; the question follows again.</summary>
    public LocalizedText? Retry { get; set; }
    public List<ChoiceDefinition> Choices { get; set; } = [];
    /// <summary>Names of validation rules the answer must pass (registered in C#).</summary>
    public List<string> Validate { get; set; } = [];
    /// <summary>May be skipped (the resident says 跳过 / skip).</summary>
    public bool Optional { get; set; }
    /// <summary>Asked only when an earlier step's answer equals this choice: { step: choice-id }.</summary>
    public Dictionary<string, string>? When { get; set; }
    /// <summary>
    /// Where the answer may come from before it is asked, in order: an entity of what the resident said (unit, period,
    /// place, when), "words" (a choice whose words or title the resident used), or "gist" (what the resident said, less
    /// the request words, when there is something left: "我家卫生间漏水了，想报修" → "卫生间漏水").
    /// </summary>
    public List<string> Fill { get; set; } = [];
    /// <summary>Taken when nothing said fills the step, instead of asking (a choice id, or "" for nothing).</summary>
    public string? Default { get; set; }
    /// <summary>
    /// The answer's name on the "change what?" buttons after a confirmation (房号, 问题, 上门时间).
    /// </summary>
    public LocalizedText? Label { get; set; }
    /// <summary>
    /// For choice steps: words that mean each choice, by choice id ("漏水", "水管", "leak" mean water).
    /// </summary>
    public Dictionary<string, List<string>> Words { get; set; } = [];
}

public sealed class ChoiceDefinition : Dictionary<string, string>
{
    public string Id => this["id"];

    public string Title(string? locale) =>
        LocalizedText.IsEnglish(locale) && TryGetValue("en", out var en) ? en : this["zh-CN"];

    /// <summary>An entity ("period") that, named in the opening message, picks this choice without asking.</summary>
    public string? Entity => TryGetValue("entity", out var entity) ? entity : null;

    public IEnumerable<string> Titles => this.Where(kv => IsTitle(kv.Key)).Select(kv => kv.Value);

    /// <summary>Whether the entry under <paramref name="key"/> is a title (by locale), not the id or entity.</summary>
    public static bool IsTitle(string key) => key is not ("id" or "entity");
}
