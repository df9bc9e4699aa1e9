using System.Text.RegularExpressions;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Linli.Understanding;

/// <summary>Words in Chinese and English, as danger.yaml lists them.</summary>
public sealed class WordList
{
    public List<string> Zh { get; set; } = [];
    public List<string> En { get; set; } = [];
}

public sealed class DoubtList
{
    /// <summary>The kinds of danger this doubt holds back; empty: every kind.</summary>
    public List<string> Categories { get; set; } = [];
    /// <summary>Counts only when said before the danger ("如果着火", not "着火了，如果…").</summary>
    public bool Before { get; set; }
    /// <summary>What overrides the doubt: urgency, now, perfective.</summary>
    public List<string> Unless { get; set; } = [];
    public List<string> Zh { get; set; } = [];
    public List<string> En { get; set; } = [];
}

public sealed class SignalDefinition
{
    public List<string> When { get; set; } = [];
    public string Category { get; set; } = "other";
    /// <summary>
    /// How far apart (in characters of Chinese; three times that in English) the groups may be found.
    /// </summary>
    public int Near { get; set; } = 24;
    /// <summary>For <c>short</c> signals: the longest message, in letters, that pages by this alone.</summary>
    public int MaxLength { get; set; } = 8;
}

/// <summary>danger.yaml as written: see the comments at the top of that file.</summary>
public sealed class DangerLexicon
{
    public WordList Ignore { get; set; } = new();
    public Dictionary<string, WordList> Words { get; set; } = [];
    public SignalSet Signals { get; set; } = new();
    public CueSet Cues { get; set; } = new();
    public Dictionary<string, DoubtList> Doubt { get; set; } = [];
    public Dictionary<string, WordList> Clear { get; set; } = [];
    public NegationSet Negation { get; set; } = new();

    public sealed class SignalSet
    {
        public List<SignalDefinition> Alone { get; set; } = [];
        public List<SignalDefinition> WithCue { get; set; } = [];
        public List<SignalDefinition> Short { get; set; } = [];
    }

    public sealed class CueSet
    {
        public WordList Urgency { get; set; } = new();
        public WordList Now { get; set; } = new();
        public WordList Perfective { get; set; } = new();
        public WordList Still { get; set; } = new();
    }

    public sealed class NegationSet
    {
        public List<string> Zh { get; set; } = [];
        public List<string> En { get; set; } = [];
        public WordList Fillers { get; set; } = new();
        public WordList DeniesDoubt { get; set; } = new();
    }

    public static DangerLexicon Load(string path)
    {
        var yaml = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        var lexicon = yaml.Deserialize<DangerLexicon>(File.ReadAllText(path))
            ?? throw new InvalidDataException($"{path} is empty.");
        var unknown = lexicon.Signals.Alone.Concat(lexicon.Signals.WithCue).Concat(lexicon.Signals.Short)
            .SelectMany(s => s.When).Where(g => !lexicon.Words.ContainsKey(g)).Distinct().ToList();
        if (unknown.Count > 0)
            throw new InvalidDataException(
                $"{path}: signals name groups no list defines: {string.Join(", ", unknown)}.");
        return lexicon;
    }
}

/// <summary>
/// One list of words compiled to regular expressions: Chinese words anywhere, English words whole (a trailing * takes
/// any ending), longest first so "煤气泄漏" wins over "煤气". English is read only when the text has Latin
/// letters.
/// </summary>
public sealed class WordMatcher
{
    private readonly Regex? _anywhere, _whole;

    public WordMatcher(IEnumerable<string> words)
    {
        var list = words.Where(w => w.Length > 0).Distinct().OrderByDescending(w => w.Length).ToList();
        var anywhere = list.Where(w => w.Any(IsChinese) || !char.IsAsciiLetterOrDigit(w[0]))
            .Select(Regex.Escape).ToList();
        var whole = list.Where(w => !w.Any(IsChinese) && char.IsAsciiLetterOrDigit(w[0])).Select(English).ToList();
        const RegexOptions options = RegexOptions.Compiled | RegexOptions.CultureInvariant;
        if (anywhere.Count > 0) _anywhere = new Regex(string.Join('|', anywhere), options);
        // One look-behind for the whole alternation lets the engine skip ahead to letters that can start a word.
        if (whole.Count > 0) _whole = new Regex($"(?<![a-z0-9'])(?:{string.Join('|', whole)})", options);
    }

    public static WordMatcher Of(WordList list) => new(list.Zh.Concat(list.En));

    public bool IsEmpty => _anywhere is null && _whole is null;

    /// <summary>Where the words are found, without allocating a match object per word.</summary>
    /// <param name="overlapping">
    /// Also words that start inside an earlier one ("把垃圾倒" and "垃圾倒在").
    /// </param>
    public List<(int Start, int End)> Matches(string text, bool overlapping = false)
    {
        List<(int Start, int End)>? found = null;
        if (_anywhere is not null)
        {
            if (!overlapping)
                foreach (var m in _anywhere.EnumerateMatches(text)) (found ??= []).Add((m.Index, m.Index + m.Length));
            else
                // Chinese words need no look-behind, so the rest of the text can be searched from one past each find.
                for (var from = 0; from < text.Length;)
                {
                    var next = -1;
                    foreach (var m in _anywhere.EnumerateMatches(text.AsSpan(from)))
                    {
                        (found ??= []).Add((from + m.Index, from + m.Index + m.Length));
                        next = from + m.Index + 1;
                        break;
                    }
                    if (next < 0) break;
                    from = next;
                }
        }
        if (_whole is not null && HasLatin(text))
            foreach (var m in _whole.EnumerateMatches(text)) (found ??= []).Add((m.Index, m.Index + m.Length));
        return found ?? None;
    }

    public bool IsMatch(string text) =>
        _anywhere?.IsMatch(text) == true || (_whole is not null && HasLatin(text) && _whole.IsMatch(text));

    /// <summary>Shared and never added to: "nothing found" costs no allocation.</summary>
    private static readonly List<(int Start, int End)> None = [];

    private static bool HasLatin(string text)
    {
        foreach (var c in text)
            if (char.IsAsciiLetter(c)) return true;
        return false;
    }

    private static string English(string word)
    {
        var stem = word.EndsWith('*') ? word[..^1] : word;
        var body = string.Join(@"\s+", stem.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Regex.Escape));
        var end = word.EndsWith('*') ? @"[a-z'\-]*" : char.IsAsciiLetterOrDigit(stem[^1]) ? @"(?![a-z0-9])" : "";
        return body + end;
    }

    public static bool IsChinese(char c) => c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf';
}
