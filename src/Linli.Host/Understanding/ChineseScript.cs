using System.Collections.Frozen;

namespace Linli.Understanding;

/// <summary>
/// Traditional → simplified, character by character, from <c>Understanding/Data/traditional-simplified.txt</c>
/// (OpenCC's table): "電燈壞了" and "电灯坏了" read alike to the classifier and the emergency guard.
/// </summary>
public static class ChineseScript
{
    private static readonly Lazy<FrozenDictionary<char, char>> Map = new(() =>
        Load(Path.Combine(AppContext.BaseDirectory, "Understanding", "Data", "traditional-simplified.txt")));

    public static string ToSimplified(string text)
    {
        var map = Map.Value;
        if (!text.Any(map.ContainsKey)) return text;
        return string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = map.GetValueOrDefault(source[i], source[i]);
        });
    }

    public static FrozenDictionary<char, char> Load(string path) =>
        File.ReadLines(path)
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' ') is [{ Length: 1 } from, { Length: 1 } to]
                ? KeyValuePair.Create(from[0], to[0])
                : throw new InvalidDataException($"{path}: \"{line}\" is not \"traditional simplified\"."))
            .ToFrozenDictionary();
}
