using System.Text.RegularExpressions;

namespace Linli.Bot.Dialogs;

/// <summary>
/// Saying back what was understood: "3栋502 卫生间漏水，尽快上门维修，对吗？" [对 | 改一下], and
/// "要改哪一项？" with a button for each answer that has a label. Both are steps past the dialog's last, so the
/// engine asks and reads them as any other.
/// </summary>
public sealed partial class Confirmation(DialogPhrases phrases)
{
    public const string Yes = "yes", Fix = "fix";

    public static int ConfirmStep(DialogDefinition dialog) => dialog.Steps.Count;

    public static int FixStep(DialogDefinition dialog) => dialog.Steps.Count + 1;

    public StepDefinition Confirm(DialogDefinition dialog, IReadOnlyDictionary<string, string> values)
    {
        var ask = new LocalizedText();
        foreach (var (locale, template) in dialog.Confirm ?? new LocalizedText())
        {
            var filled = Placeholder().Replace(template, m => Shown(dialog, values, m.Groups[1].Value, locale));
            ask[locale] = Spaces().Replace(filled, " ").Trim();
        }
        return new StepDefinition
        {
            Id = "_confirm", Prompt = "choice", Ask = ask,
            Choices = [Choice(Yes, phrases.ConfirmYes), Choice(Fix, phrases.ConfirmFix)],
        };
    }

    public StepDefinition WhatToFix(DialogDefinition dialog, IReadOnlyDictionary<string, string> values) => new()
    {
        Id = "_fix", Prompt = "choice", Ask = phrases.WhatToFix,
        Choices = [.. dialog.Steps
            .Where(s => s.Label is not null && DialogSlots.Applies(s, values))
            .Select(s => Choice(s.Id, s.Label!))],
    };

    /// <summary>true to go ahead, false to change something, null when the answer is neither.</summary>
    public bool? Read(string text)
    {
        var t = PromptParser.Clean(text);
        if (PromptParser.IsTitle(phrases.ConfirmYes, t) || phrases.YesWords.Contains(t)) return true;
        if (PromptParser.IsTitle(phrases.ConfirmFix, t) || phrases.NoWords.Contains(t)) return false;
        return null;
    }

    /// <summary>
    /// An answer as the resident would say it: a choice as said ("明天下午") or by its title, a text as written.
    /// </summary>
    private static string Shown(DialogDefinition dialog, IReadOnlyDictionary<string, string> values, string name,
        string locale)
    {
        var step = dialog.Steps.FirstOrDefault(s => s.Id == name);
        if (step is not null && !DialogSlots.Applies(step, values)) return "";
        // A choice as the resident said it, when they said it in the language of the reply.
        var inChinese = !LocalizedText.IsEnglish(locale);
        if (values.GetValueOrDefault(name + DialogResults.SaidSuffix) is { Length: > 0 } said
            && step?.Prompt == "choice" && inChinese == said.Any(c => c is >= '\u4e00' and <= '\u9fff'))
            return said;
        var value = values.GetValueOrDefault(name) ?? "";
        if (step?.Prompt == "choice" && step.Choices.FirstOrDefault(c => c.Id == value) is { } choice)
            return choice.Title(locale);
        return value.Length > 60 ? value[..60] + "…" : value;
    }

    private static ChoiceDefinition Choice(string id, LocalizedText titles)
    {
        var choice = new ChoiceDefinition { ["id"] = id };
        foreach (var (locale, title) in titles) choice[locale] = title;
        return choice;
    }

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"[ \t]+")]
    private static partial Regex Spaces();
}
