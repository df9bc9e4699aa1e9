using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Linli.Understanding;

/// <summary>
/// Training sentences from templates × lexicons (Understanding/Data/templates.yaml):
/// "{home_place}的{fixture}{problem}" gives "厨房的水龙头漏水", "卫生间的灯不亮了"… Drawn with a
/// fixed seed, so the same file always trains the same model.
/// </summary>
public sealed class TrainingTemplates
{
    public sealed class Template
    {
        public string Intent { get; set; } = "";
        public string Text { get; set; } = "";
        public int Count { get; set; }
    }

    public Dictionary<string, List<string>> Lexicons { get; set; } = [];
    public List<Template> Templates { get; set; } = [];

    public static TrainingTemplates Load(string path) =>
        new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build()
            .Deserialize<TrainingTemplates>(File.ReadAllText(path)) ?? new TrainingTemplates();

    public IReadOnlyList<LabelledUtterance> Expand(int seed = 20261201)
    {
        var random = new Random(seed);
        var made = new List<LabelledUtterance>();
        foreach (var template in Templates)
        {
            var seen = new HashSet<string>();
            // Twice as many draws as wanted: repeats are dropped.
            for (var draw = 0; draw < template.Count * 2 && seen.Count < template.Count; draw++)
            {
                var text = System.Text.RegularExpressions.Regex.Replace(template.Text, @"\{([a-z_]+)\}", m =>
                {
                    var words = Lexicons.TryGetValue(m.Groups[1].Value, out var list) ? list
                        : throw new InvalidDataException($"templates.yaml: no lexicon '{m.Groups[1].Value}'.");
                    return words[random.Next(words.Count)];
                }).Trim().TrimEnd('，', ',').Trim();
                if (seen.Add(text)) made.Add(new LabelledUtterance(template.Intent, text));
            }
        }
        return made;
    }
}
