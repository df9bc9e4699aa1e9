namespace Linli.Understanding;

public sealed record LabelledUtterance(string Intent, string Text)
{
    /// <summary>Reads "intent&lt;TAB&gt;utterance" lines; '#' starts a comment line.</summary>
    public static IReadOnlyList<LabelledUtterance> Load(string path) =>
        File.ReadLines(path)
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select((line, n) => line.Split('\t', 2) is [var intent, var text] && text.Trim().Length > 0
                ? new LabelledUtterance(intent.Trim(), text.Trim())
                : throw new InvalidDataException($"{path}: line {n + 1} is not \"intent<TAB>utterance\"."))
            .ToList();
}
