using System.Text.RegularExpressions;
using Linli.Bot.Understanding;

namespace Linli.Bot.Dialogs;

/// <summary>
/// A step answered from what was said, and how the resident said it ("明天下午" for the choice "afternoon").
/// </summary>
public sealed record FilledSlot(string Value, string Said);

/// <summary>
/// Answers steps from what the resident said, as each step's <c>fill</c> declares: an entity, a choice's words, or the
/// gist of the sentence. One rich sentence ("我家卫生间漏水了，明天下午来修") answers several steps at
/// once, so the dialog asks only what is missing.
/// </summary>
public static partial class SlotFiller
{
    /// <summary>Entities that say where or when, not what: left out of a gist.</summary>
    private static readonly HashSet<string> NotTheGist = ["unit", "period", "phone", "amount", "when"];

    public static FilledSlot? Fill(StepDefinition step, IEnumerable<string> sources, RecognizerResult said,
        DialogDefinition dialog, DialogPhrases phrases)
    {
        foreach (var source in sources)
        {
            var found = source switch
            {
                // A choice's words or title, or a choice that an entity stands for ("2026年3月的物业费" is a
                // month's bill).
                "words" => step.Prompt != "choice" ? null
                    : ByWords(step, said.Text)
                      ?? (step.Choices.FirstOrDefault(c => c.Entity is { } e && said.Entity(e) is not null) is { } named
                          ? new FilledSlot(named.Id, said.Entity(named.Entity!)!) : null),
                "gist" => Gist(said, dialog, phrases) is { } gist ? new FilledSlot(gist, gist) : null,
                _ => said.Entity(source) is { } entity ? FromEntity(step, entity) : null,
            };
            if (found is not null) return found;
        }
        return null;
    }

    /// <summary>
    /// An entity's value; for a choice, the choice its words name ("明天下午" → afternoon), said as the entity.
    /// </summary>
    private static FilledSlot? FromEntity(StepDefinition step, string entity) =>
        step.Prompt != "choice" ? new FilledSlot(entity, entity)
            // A choice named by its id (a model's "water") or by its words and titles ("明天下午").
            : step.Choices.FirstOrDefault(c => string.Equals(c.Id, entity, StringComparison.OrdinalIgnoreCase))
                is { } named ? new FilledSlot(named.Id, named.Title(null))
            : ByWords(step, entity) is { } choice ? choice with { Said = entity } : null;

    /// <summary>
    /// The choice whose title or words appear in the text; where several do, the one with the longest word
    /// ("马桶堵" is drainage, though "马桶" is water).
    /// </summary>
    public static FilledSlot? ByWords(StepDefinition step, string text)
    {
        FilledSlot? best = null;
        var bestLength = 0;
        foreach (var choice in step.Choices)
        {
            // Titles, then the step's words for the choice: on a tie, the first found wins.
            foreach (var (key, title) in choice)
                if (ChoiceDefinition.IsTitle(key) && title.Length >= 2) Consider(choice, title);
            if (step.Words.TryGetValue(choice.Id, out var words) && words is not null)
                foreach (var word in words) Consider(choice, word);
        }
        return best;

        void Consider(ChoiceDefinition choice, string word)
        {
            if (word.Length > bestLength && ContainsAffirmed(text, word))
                (best, bestLength) = (new FilledSlot(choice.Id, word), word.Length);
        }
    }

    /// <summary>
    /// What the resident said, less the request ("我要报修"), politeness, flat numbers and dates:
    /// "我家卫生间漏水了，想报修" → "卫生间漏水了". Null when nothing is left that describes
    /// anything.
    /// </summary>
    public static string? Gist(RecognizerResult said, DialogDefinition dialog, DialogPhrases phrases)
    {
        var chars = said.Text.ToCharArray();
        foreach (var e in said.Entities.Where(e => NotTheGist.Contains(e.Entity) && e.End <= chars.Length))
            for (var i = e.Start; i < e.End; i++) chars[i] = ' ';
        foreach (var word in phrases.RequestWordsLongestFirst)
            for (var at = Find(chars, word, 0); at >= 0; at = Find(chars, word, at + word.Length))
                for (var i = at; i < at + word.Length; i++) chars[i] = ' ';
        var rest = Punctuation().Replace(new string(chars), " ");
        rest = Spaces().Replace(rest, " ").Trim().TrimEnd('啦', '呀', '啊', '吧', '呢', '哦', '嗯').Trim();
        if (phrases.LeadingWords.OrderByDescending(w => w.Length)
                .FirstOrDefault(w => rest.StartsWith(w, StringComparison.Ordinal)) is { } leading)
            rest = rest[leading.Length..].Trim();
        var english = !rest.Any(IsChinese);
        var enough = english
            ? rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 2
            : rest.Count(IsChinese) >= 2;
        // A button's title says which, not what happened ("公共区域", "Shared area").
        var title = dialog.Steps.SelectMany(s => s.Choices).SelectMany(c => c.Titles)
            .Contains(rest, StringComparer.OrdinalIgnoreCase);
        return enough && !title ? rest : null;
    }

    /// <summary>
    /// The word is there and not denied just before it: "不紧急" is not "急", "没人有危险" not "有危险".
    /// </summary>
    private static bool ContainsAffirmed(string text, string word)
    {
        for (var at = Find(text, word, 0); at >= 0; at = Find(text, word, at + 1))
        {
            var before = text[Math.Max(0, at - 2)..at];
            var denied = HasChinese(word) ? before.IndexOfAny(['不', '没', '无', '别', '未']) >= 0
                : System.Text.RegularExpressions.Regex.IsMatch(text[Math.Max(0, at - 8)..at], @"\b(?:not|no|n't)\s*$",
                    System.Text.RegularExpressions.RegexOptions.IgnoreCase);
            if (!denied) return true;
        }
        return false;
    }

    /// <summary>
    /// Where the word is: Chinese anywhere, English as a whole word, case aside. No regular expression per word.
    /// </summary>
    private static bool IsWholeWord(ReadOnlySpan<char> text, int at, int length) =>
        (at == 0 || !char.IsAsciiLetter(text[at - 1]))
        && (at + length == text.Length || !char.IsAsciiLetter(text[at + length]));

    private static int Find(ReadOnlySpan<char> span, string word, int from)
    {
        var whole = !HasChinese(word);
        while (from <= span.Length - word.Length)
        {
            var at = span[from..].IndexOf(word.AsSpan(), StringComparison.OrdinalIgnoreCase);
            if (at < 0) return -1;
            at += from;
            if (!whole || IsWholeWord(span, at, word.Length)) return at;
            from = at + 1;
        }
        return -1;
    }

    private static bool IsChinese(char c) => c is >= '\u4e00' and <= '\u9fff';

    private static bool HasChinese(string word) => word.AsSpan().ContainsAnyInRange('\u4e00', '\u9fff');

    [GeneratedRegex(@"[\p{P}\p{S}]+")]
    private static partial Regex Punctuation();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
