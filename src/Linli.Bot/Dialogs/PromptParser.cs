using System.Globalization;
using Linli.Bot.Schema;
using Linli.Bot.Understanding;

namespace Linli.Bot.Dialogs;

/// <summary>Reads an answer for each prompt kind; null when the answer does not fit the question.</summary>
public static class PromptParser
{
    private static readonly string[] YesWords = ["是", "是的", "对", "对的", "好", "好的", "确认", "可以", "嗯", "yes", "y", "ok", "okay", "sure", "confirm"];
    private static readonly string[] NoWords = ["否", "不", "不是", "不对", "不用", "不要", "no", "n", "nope"];
    private static readonly string[] SkipWords = ["跳过", "没有", "不用", "无", "skip", "none", "no"];

    public const int MaxTextLength = 500;

    public static string? Parse(StepDefinition step, Activity activity, RecognizerResult? recognized, DialogPhrases phrases)
    {
        var text = activity.Text?.Trim() ?? "";
        if (step.Optional && IsSkip(text, phrases)) return "";
        return step.Prompt switch
        {
            "text" => text.Length is > 0 and <= MaxTextLength ? text : null,
            "choice" => Choice(step, text),
            "confirm" => Confirm(text, phrases),
            "number" => decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? n.ToString(CultureInfo.InvariantCulture) : null,
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
        // A title or an id first (a rating's choices are "5".."1"), then a position in the list.
        if (step.Choices.FirstOrDefault(c => c.Titles.Any(t => string.Equals(t, text, StringComparison.OrdinalIgnoreCase))
                                             || string.Equals(c.Id, text, StringComparison.OrdinalIgnoreCase)) is { } chosen)
            return chosen.Id;
        return int.TryParse(text, out var index) && index >= 1 && index <= step.Choices.Count ? step.Choices[index - 1].Id : null;
    }

    public static string? Confirm(string text, DialogPhrases phrases)
    {
        var t = text.Trim().TrimEnd('。', '!', '！', '.').ToLowerInvariant();
        if (YesWords.Contains(t) || phrases.Yes.Values.Any(v => v.Equals(t, StringComparison.OrdinalIgnoreCase))) return "yes";
        if (NoWords.Contains(t) || phrases.No.Values.Any(v => v.Equals(t, StringComparison.OrdinalIgnoreCase))) return "no";
        return null;
    }

    private static bool IsSkip(string text, DialogPhrases phrases) =>
        SkipWords.Contains(text.ToLowerInvariant()) || phrases.Skip.Values.Any(v => v.Equals(text, StringComparison.OrdinalIgnoreCase));
}
