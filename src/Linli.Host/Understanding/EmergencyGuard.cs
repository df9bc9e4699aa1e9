using System.Text;
using System.Text.RegularExpressions;

namespace Linli.Understanding;

/// <summary>
/// What the guard concluded: whether someone must come now, what kind of danger, and the words that said so.
/// </summary>
public sealed record DangerVerdict(
    bool IsEmergency, string? Category = null, string? Evidence = null, string? HeldBackBy = null)
{
    public static readonly DangerVerdict Safe = new(false);
}

/// <summary>
/// The emergency guard: reads every message before the classifier does, in every state, and decides from danger words,
/// urgency cues and doubts (drills, questions, things that are over) whether the duty officer must be paged. It does
/// not depend on the classifier, so a resident who describes a fire in words no training line used is still heard.
/// The words live in <c>Understanding/Data/danger.yaml</c>.
/// </summary>
public sealed partial class EmergencyGuard
{
    private sealed record Signal(SignalDefinition Definition, int[] Groups, string Kind);

    private readonly WordMatcher _ignore;
    private readonly WordMatcher[] _groups;
    private readonly List<Signal> _signals;
    private sealed record Doubt(
        string Name, WordMatcher Words, HashSet<string>? Categories, bool Before, HashSet<string> Unless);

    private readonly WordMatcher _urgency, _now, _still, _denied;
    private readonly string[] _perfective;
    private readonly List<Doubt> _doubts;
    private readonly Dictionary<string, WordMatcher> _clear;
    private readonly Regex _negatedZh, _negatedEn;

    public EmergencyGuard(DangerLexicon lexicon)
    {
        _ignore = WordMatcher.Of(lexicon.Ignore);
        var names = lexicon.Words.Keys.ToList();
        _groups = names.Select(n => WordMatcher.Of(lexicon.Words[n])).ToArray();
        Signal Compile(SignalDefinition d, string kind) => new(d, d.When.Select(g => names.IndexOf(g)).ToArray(), kind);
        _signals =
        [
            .. lexicon.Signals.Alone.Select(d => Compile(d, "alone")),
            .. lexicon.Signals.WithCue.Select(d => Compile(d, "with_cue")),
            .. lexicon.Signals.Short.Select(d => Compile(d, "short")),
        ];
        _urgency = WordMatcher.Of(lexicon.Cues.Urgency);
        _now = WordMatcher.Of(lexicon.Cues.Now);
        _still = WordMatcher.Of(lexicon.Cues.Still);
        _denied = WordMatcher.Of(lexicon.Negation.DeniesDoubt);
        _perfective = [.. lexicon.Cues.Perfective.Zh];
        _doubts = lexicon.Doubt.Select(d => new Doubt(d.Key, new WordMatcher(d.Value.Zh.Concat(d.Value.En)),
            d.Value.Categories.Count > 0 ? d.Value.Categories.ToHashSet() : null, d.Value.Before,
            d.Value.Unless.ToHashSet())).ToList();
        _clear = lexicon.Clear.ToDictionary(c => c.Key, c => WordMatcher.Of(c.Value));
        // A negation just before the danger, perhaps with a filler between:
        // 没有着火, 没有人被困, 没有发现明火.
        var fillers = string.Join('|', lexicon.Negation.Fillers.Zh.Select(Regex.Escape));
        _negatedZh = new Regex($"(?:{Alternatives(lexicon.Negation.Zh)})(?:{fillers})?\\s*$",
            RegexOptions.Compiled | RegexOptions.CultureInvariant);
        var fillersEn = Alternatives(lexicon.Negation.Fillers.En);
        _negatedEn = new Regex(
            $@"(?<![a-z'])(?:{Alternatives(lexicon.Negation.En)})(?:\s+(?:{fillersEn})){{0,2}}\s*$",
            RegexOptions.Compiled | RegexOptions.CultureInvariant);
    }

    /// <summary>The words as one regex alternation, longest first, so "not any" wins over "not".</summary>
    private static string Alternatives(IEnumerable<string> words) =>
        string.Join('|', words.OrderByDescending(w => w.Length).Select(Regex.Escape));

    public static EmergencyGuard FromAppFolder() =>
        new(DangerLexicon.Load(Path.Combine(AppContext.BaseDirectory, "Understanding", "Data", "danger.yaml")));

    /// <summary>
    /// How many places of one word list are weighed: with pruning by distance, this bounds the combinations a message
    /// repeating danger words thousands of times can make.
    /// </summary>
    private const int MaxMatchesPerGroup = 16;

    public DangerVerdict Check(string text)
    {
        var whole = Normalize(text);
        var found = Find(whole);
        string? heldBack = null;
        foreach (var signal in _signals)
        {
            if (Fires(signal, whole, found) is not { } span) continue;
            var (start, end, core) = span;
            var cue = HasCue(_urgency, whole, start, end);
            if (signal.Kind == "with_cue" && !cue) continue;
            if (signal.Kind == "short" && SaysMore(signal, whole, found)) continue;
            if (Doubted(signal.Definition.Category, whole, core, cue) is { } doubt)
            {
                heldBack ??= doubt;
                continue;
            }
            return new DangerVerdict(true, signal.Definition.Category, whole[start..end].Trim());
        }
        // Nothing dangerous enough was heard; still say whether the message is a story, a joke or a complaint told
        // again and again, so that a classifier's guess of "emergency" is not taken for one either.
        heldBack ??= _doubts.Where(d => !d.Before && d.Categories is null)
            .FirstOrDefault(d => d.Words.IsMatch(whole) && !_urgency.IsMatch(whole))?.Name;
        return heldBack is null ? DangerVerdict.Safe : DangerVerdict.Safe with { HeldBackBy = heldBack };
    }

    /// <summary>For people tuning danger.yaml: every signal that fires on the text, and what holds it back.</summary>
    public IEnumerable<string> Explain(string text)
    {
        var whole = Normalize(text);
        var found = Find(whole);
        var ignoring = _ignore.Matches(whole).Select(i => whole[i.Start..i.End]);
        yield return $"read as: {whole}; ignoring {string.Join(", ", ignoring)}";
        foreach (var signal in _signals)
            if (Fires(signal, whole, found) is { } span)
            {
                var cue = HasCue(_urgency, whole, span.Start, span.End);
                var doubt = Doubted(signal.Definition.Category, whole, span.Core, cue) ?? "-";
                yield return $"{signal.Kind} [{string.Join(", ", signal.Definition.When)}] " +
                             $"«{whole[span.Start..span.End]}» cue={cue} doubt={doubt}";
            }
    }

    /// <summary>
    /// Where every group of the signal is found, near enough to the others, and not negated: the whole span and where
    /// the first group (the danger itself: 摔倒 in "老人…摔倒") was found. Null when it is not.
    /// </summary>
    private (int Start, int End, (int Start, int End) Core)? Fires(
        Signal signal, string text, List<(int Start, int End)>[] matches)
    {
        // Most messages miss a group of most signals: nothing is gathered for those.
        foreach (var group in signal.Groups)
            if (matches[group].Count == 0) return null;
        var found = new List<(int Start, int End)>[signal.Groups.Length];
        for (var i = 0; i < signal.Groups.Length; i++) found[i] = matches[signal.Groups[i]];
        if (found.Length == 1) return (found[0][0].Start, found[0][0].End, found[0][0]);
        var near = signal.Definition.Near * (text.Any(WordMatcher.IsChinese) ? 1 : 3);
        // Few matches per group in a chat message: trying every combination is cheap.
        (int, int, (int, int))? best = null;
        void Walk(int group, int start, int end, int firstEnd, int lastStart, (int, int) core)
        {
            if (best is not null) return;
            if (group == found.Length)
            {
                if (lastStart - firstEnd <= near) best = (start, end, core);
                return;
            }
            foreach (var m in found[group])
            {
                // Further groups only spread the words wider: a combination already too far apart is dropped here.
                var (nextFirstEnd, nextLastStart) = (Math.Min(firstEnd, m.End), Math.Max(lastStart, m.Start));
                if (nextLastStart - nextFirstEnd > near) continue;
                var (nextStart, nextEnd) = (Math.Min(start, m.Start), Math.Max(end, m.End));
                Walk(group + 1, nextStart, nextEnd, nextFirstEnd, nextLastStart, group == 0 ? m : core);
            }
        }
        Walk(0, int.MaxValue, 0, int.MaxValue, 0, default);
        return best;
    }

    /// <summary>
    /// Every group's words in the text, once: a word inside an ignored name ("火" in "火锅", "fire" in "fire door")
    /// is not the danger, nor is one negated.
    /// </summary>
    private List<(int Start, int End)>[] Find(string text)
    {
        var ignored = _ignore.Matches(text, overlapping: true);
        var found = new List<(int Start, int End)>[_groups.Length];
        for (var g = 0; g < _groups.Length; g++)
        {
            var matches = _groups[g].Matches(text);
            if (matches.Count > 0)
                matches.RemoveAll(m => Ignored(m, ignored) || Negated(text, m.Start));
            // A message repeating a word hundreds of times says no more than one that says it a few times.
            if (matches.Count > MaxMatchesPerGroup)
                matches.RemoveRange(MaxMatchesPerGroup, matches.Count - MaxMatchesPerGroup);
            found[g] = matches;
        }
        return found;
    }

    private static bool Ignored((int Start, int End) match, List<(int Start, int End)> ignored)
    {
        foreach (var x in ignored)
            if (x.Start <= match.Start && match.End <= x.End) return true;
        return false;
    }

    private bool Negated(string text, int start)
    {
        var before = text[Math.Max(0, start - 24)..start];
        return _negatedZh.IsMatch(before) || _negatedEn.IsMatch(before);
    }

    /// <summary>An urgency cue that is not the danger word itself ("救命" alone is not also its own cue).</summary>
    private bool HasCue(WordMatcher cues, string text, int start, int end) =>
        cues.Matches(text).Any(m => (m.End <= start || m.Start >= end) && !Negated(text, m.Start));

    /// <summary>The doubt that holds this danger back, if any: a drill, a question, a past event, a story…</summary>
    private string? Doubted(string category, string text, (int Start, int End) danger, bool urgent)
    {
        if (_clear.TryGetValue(category, out var clear) && clear.Matches(text).Any(m => !Negated(text, m.Start)))
            return "clear";
        if (_denied.IsMatch(text)) return null;
        foreach (var doubt in _doubts)
        {
            if (doubt.Categories is not null && !doubt.Categories.Contains(category)) continue;
            var matches = doubt.Words.Matches(text).Where(m => !doubt.Before || m.Start < danger.Start);
            if (!matches.Any()) continue;
            if (doubt.Unless.Contains("urgency") && urgent) continue;
            if (doubt.Unless.Contains("now") && _now.IsMatch(text)) continue;
            if (doubt.Unless.Contains("still") && _still.IsMatch(text)) continue;
            if (doubt.Unless.Contains("perfective") && Standing(text, danger)) continue;
            return doubt.Name;
        }
        return null;
    }

    /// <summary>
    /// Said as happening, not as a question: 了 (啦, 咗) right after the danger ("着火了", "烧起来了"), or
    /// 有/在/冒 right before it ("有火苗", "在冒烟").
    /// </summary>
    private bool Standing(string text, (int Start, int End) danger)
    {
        var after = text.AsSpan(danger.End, Math.Min(3, text.Length - danger.End));
        foreach (var p in _perfective)
            if (after.IndexOf(p.AsSpan()) is >= 0 and <= 1) return true;
        return text[danger.Start] == '有' || (danger.Start > 0 && text[danger.Start - 1] is '有' or '在' or '冒');
    }

    /// <summary>Half-width, lower case, simplified characters: "著火了！" and "着火了!" read alike.</summary>
    public static string Normalize(string text)
    {
        var halfWidth = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant().Replace('’', '\'');
        var lower = ChineseScript.ToSimplified(halfWidth);
        lower = SpaceBetweenChinese().Replace(lower, "");
        // Typed on a phone: "cant", "dont", "im" mean what their apostrophes would.
        return Apostrophe().Replace(lower, m => m.Value switch
        {
            "cant" => "can't",
            "dont" => "don't",
            "wont" => "won't",
            "isnt" => "isn't",
            "doesnt" => "doesn't",
            "didnt" => "didn't",
            "im" => "i'm",
            "couldnt" => "couldn't",
            "wasnt" => "wasn't",
            _ => m.Value,
        });
    }

    [GeneratedRegex(@"\b(?:cant|dont|wont|isnt|doesnt|didnt|im|couldnt|wasnt)\b")]
    private static partial Regex Apostrophe();

    /// <summary>
    /// Voice input spaces Chinese words apart ("水 从灯里出来了"); Chinese is read without them.
    /// </summary>
    [GeneratedRegex(@"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")]
    private static partial Regex SpaceBetweenChinese();

    private static int Letters(string text) => text.Count(char.IsLetterOrDigit);

    /// <summary>
    /// A "short" signal fires only on a short message: one that, without its danger words and urgency cues, says
    /// more than the signal allows is about something else.
    /// </summary>
    private bool SaysMore(Signal signal, string whole, List<(int Start, int End)>[] found)
    {
        var dangerAndCues = signal.Groups.SelectMany(g => found[g]!).Concat(_urgency.Matches(whole));
        return Letters(Without(whole, dangerAndCues)) > signal.Definition.MaxLength;
    }

    /// <summary>The text without these words: what else the message says.</summary>
    private static string Without(string text, IEnumerable<(int Start, int End)> words)
    {
        var chars = text.ToCharArray();
        foreach (var (start, end) in words)
            for (var i = start; i < end; i++) chars[i] = ' ';
        return new string(chars);
    }
}
