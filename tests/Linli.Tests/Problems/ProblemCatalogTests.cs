using System.Text.RegularExpressions;
using Linli.Hosting;
using Linli.Tests.Support;

namespace Linli.Tests.Problems;

/// <summary>
/// dialogs/problems.yaml against the code that throws its keys: every key used is there, in both languages, and every
/// placeholder its texts name is filled by the code; every key there is used.
/// </summary>
public sealed partial class ProblemCatalogTests
{
    private static readonly ProblemCatalog Catalog = ProblemCatalog.Default;

    /// <summary>
    /// A refusal in the code: the call that says it, its key, and the anonymous object of values right after it.
    /// Helpers that pass a key on fill some values themselves (<see cref="Implied"/>).
    /// </summary>
    [GeneratedRegex(Call + FirstArguments + Key + Values)]
    private static partial Regex Refusal();

    private const string Call = """\b(?<call>Bad|Forbidden|NotFound|Conflict|Invalid|Required|Text|"""
        + """Parse(?:Optional)?<\w+>|DomainProblem|new)\(""";
    private const string FirstArguments = """(?:(?:[^"();]|"[^"]*")*?,\s*)?""";
    private const string Key = "\"(?<key>[a-z_]+(?:\\.[a-z_]+)+)\"";
    private const string Values = """(?<rest>\s*,\s*new\s*\{(?<values>[^{}]*)\})?""";

    private static readonly Dictionary<string, string[]> Implied = new()
    {
        ["Required"] = ["max"], ["Text"] = ["max"], ["Parse"] = ["names"], ["ParseOptional"] = ["names"],
        ["Invalid"] = ["field"],
    };

    private static IEnumerable<(string File, string Call, string Key, HashSet<string>? Values)> Refusals() =>
        Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => Refusal().Matches(File.ReadAllText(f)).Select(m => (
                Path.GetFileName(f),
                m.Groups["call"].Value.Split('<')[0],
                m.Groups["key"].Value,
                m.Groups["values"].Success ? Names(m.Groups["values"].Value) : null)))
            .Where(r => r.Item3.Split('.')[0] is var area && Catalog.Keys.Any(k => k.StartsWith(area + ".")));

    /// <summary>
    /// The member names of <c>new { number, flat = unit.Label, project.Status, names = string.Join(", ", all) }</c>:
    /// split at the commas outside strings and calls.
    /// </summary>
    private static HashSet<string> Names(string members) =>
        Outermost(QuotedText().Replace(members, "\"\""))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(m => m.Length > 0)
            .Select(m => m.Contains('=') ? m.Split('=')[0].Trim() : m.Split('.')[^1].Trim())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static string Outermost(string text)
    {
        while (Parenthesised().IsMatch(text)) text = Parenthesised().Replace(text, "");
        return text;
    }

    [GeneratedRegex(@"\$?""[^""]*""")]
    private static partial Regex QuotedText();

    [GeneratedRegex(@"\([^()]*\)")]
    private static partial Regex Parenthesised();

    [Fact]
    public void TheCodeFindsRefusalsToCheck() => Assert.True(Refusals().Count() > 150);

    [Fact]
    public void EveryKeyTheCodeUsesIsInTheCatalog()
    {
        var missing = Refusals().Where(r => !Catalog.Contains(r.Key)).Select(r => $"{r.File}: {r.Key}").ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void EveryPlaceholderIsFilledByTheCodeThatThrowsIt()
    {
        var unfilled = new List<string>();
        foreach (var (file, call, key, values) in Refusals().Where(r => Catalog.Contains(r.Key)))
        {
            var given = new HashSet<string>(values ?? [], StringComparer.OrdinalIgnoreCase) { "field" };
            given.UnionWith(Implied.GetValueOrDefault(call, []));
            foreach (var name in Catalog.PlaceholdersOf(key).Where(n => !given.Contains(n)))
                unfilled.Add($"{file}: {key} needs {{{name}}}");
            foreach (var name in (values ?? []).Where(n => !Catalog.PlaceholdersOf(key).Contains(n)))
                unfilled.Add($"{file}: {key} is given {name}, which it never says");
        }
        Assert.Empty(unfilled);
    }

    [Fact]
    public void EveryKeyInTheCatalogIsUsed()
    {
        var used = Refusals().Select(r => r.Key).ToHashSet();
        Assert.Empty(Catalog.Keys.Where(k => !used.Contains(k)).Order());
    }

    [Fact]
    public void AValueNotGivenIsAnErrorNotABlank()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DomainProblem.NotFound("tickets.not_found"));
        Assert.Contains("{number}", error.Message);
        Assert.Throws<KeyNotFoundException>(() => DomainProblem.Bad("tickets.no_such_refusal"));
    }

    [Fact]
    public void ValuesAreFilledInEachLanguageWithTheirFormats()
    {
        var problem = DomainProblem.Conflict("mediation.already_decided",
            new { Outcome = "Settled", on = new DateTimeOffset(2026, 3, 9, 10, 0, 0, TimeSpan.FromHours(8)) });
        Assert.Equal(("Case already decided", "The case was decided (Settled) on 2026-03-09."),
            problem.In(ProblemCatalog.English));
        Assert.Equal(("案件已结案", "本案已于 2026-03-09 结案（Settled）。"),
            problem.In(ProblemCatalog.Chinese));
        Assert.Equal("The case was decided (Settled) on 2026-03-09.", problem.Message);
    }

    [Fact]
    public void ACatalogMissingALanguageDoesNotLoad()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "x.y:\n  en: { title: \"T\", detail: \"D\" }\n");
            var error = Assert.Throws<InvalidDataException>(() => ProblemCatalog.Load(path));
            Assert.Contains("'x.y'", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(null, "en")]
    [InlineData("", "en")]
    [InlineData("en", "en")]
    [InlineData("en-US,en;q=0.9", "en")]
    [InlineData("zh", "zh-CN")]
    [InlineData("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN")]
    [InlineData("zh-Hans-CN", "zh-CN")]
    [InlineData("zh-TW", "zh-CN")]
    [InlineData("en;q=0.5, zh-CN;q=0.9", "zh-CN")]
    [InlineData("zh-CN;q=0, en", "en")]
    [InlineData("fr-FR,fr;q=0.9", "en")]
    [InlineData("*", "en")]
    [InlineData("de;q=0.9, zh;q=0.8", "en")]
    public void TheLanguageIsTheMostWantedOfTheTwo(string? header, string language) =>
        Assert.Equal(language, ProblemLanguage.FromAcceptLanguage(header));
}
