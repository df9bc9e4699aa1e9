using System.Globalization;
using Linli.Bot.Schema;
using Linli.Bot.Understanding;

namespace Linli.Bot.Dialogs;

/// <summary>
/// Reads an answer for each prompt kind; null when the answer does not fit the question. Short answers are answers:
/// "没有照片" skips a photo that may be skipped, "对的" confirms, "很急" picks "urgent" by its words.
/// </summary>
public static class PromptParser
{
    public const int MaxTextLength = 500;

    public static string? Parse(StepDefinition step, Activity activity, RecognizerResult? recognized,
        DialogPhrases phrases)
    {
        var text = activity.Text?.Trim() ?? "";
        if (step.Optional && IsSkip(text, phrases)) return "";
        return step.Prompt switch
        {
            "text" => text.Length is > 0 and <= MaxTextLength ? text : null,
            "choice" => Choice(step, text),
            "confirm" => Confirm(text, phrases),
            "number" => decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var n)
                ? n.ToString(CultureInfo.InvariantCulture)
                : null,
            "unit" => recognized?.Entity("unit"),
            "period" => recognized?.Entity("period"),
            "attachment" => activity.Attachments is { Count: > 0 } files
                ? string.Join(' ', files.Select(f => f.ContentUrl).Where(u => !string.IsNullOrEmpty(u)))
                : null,
            _ => null,
        };
    }

    private static string? Choice(StepDefinition step, string text)
    {
        var t = Clean(text);
        // A title or an id first (a rating's choices are "5".."1"), then a position in the list, then the choice's
        // words.
        var chosen = step.Choices.FirstOrDefault(c =>
            c.Titles.Any(title => string.Equals(title, t, StringComparison.OrdinalIgnoreCase))
            || string.Equals(c.Id, t, StringComparison.OrdinalIgnoreCase));
        if (chosen is not null) return chosen.Id;
        if (int.TryParse(t, out var index) && index >= 1 && index <= step.Choices.Count)
            return step.Choices[index - 1].Id;
        return text.Length <= MaxTextLength ? SlotFiller.ByWords(step, text)?.Value : null;
    }

    public static string? Confirm(string text, DialogPhrases phrases)
    {
        var t = Clean(text);
        if (IsTitle(phrases.Yes, t) || phrases.YesWords.Contains(t)) return "yes";
        if (IsTitle(phrases.No, t) || phrases.NoWords.Contains(t)) return "no";
        return null;
    }

    /// <summary>The button's title in any language, whatever its case.</summary>
    public static bool IsTitle(LocalizedText button, string text) =>
        button.Values.Any(v => v.Equals(text, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// "跳过", "没有", "没有照片", "no photo", "not now": nothing to give at a step that may be skipped.
    /// </summary>
    public static bool IsSkip(string text, DialogPhrases phrases)
    {
        var t = Clean(text);
        return IsTitle(phrases.Skip, t) || phrases.SkipWords.Contains(t);
    }

    /// <summary>
    /// Lower case, without the punctuation and politeness a short answer comes wrapped in ("没有哦。", "No
    /// thanks!").
    /// </summary>
    public static string Clean(string text)
    {
        var t = text.Trim().ToLowerInvariant().TrimEnd('。', '!', '！', '.', '~', '～', '，', ',', '?', '？', ' ');
        foreach (var tail in Tails)
            if (t.Length > tail.Length && t.EndsWith(tail, StringComparison.Ordinal))
                t = t[..^tail.Length].TrimEnd('，', ',', ' ', '。');
        return t;
    }

    private static readonly string[] Tails =
        ["谢谢", "thanks", "thank you", "哦", "啊", "呀", "啦", "的", "吧", "了"];
}
