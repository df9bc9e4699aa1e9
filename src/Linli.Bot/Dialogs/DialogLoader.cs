using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Linli.Bot.Dialogs;

/// <summary>
/// Reads <c>dialogs/*.yaml</c>. A file that does not parse, or names an unknown prompt kind, stops the load with its
/// name.
/// </summary>
public static class DialogLoader
{
    public static readonly string[] PromptKinds =
        ["text", "choice", "number", "period", "confirm", "unit", "attachment"];

    /// <summary>Files in dialogs/ that hold words, not a dialog: the bot's own phrases and every refusal's.</summary>
    public static readonly string[] PhraseFiles = ["common.yaml", "problems.yaml"];

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public static IReadOnlyDictionary<string, DialogDefinition> LoadFolder(string folder) =>
        Directory.EnumerateFiles(folder, "*.yaml")
            .Where(f => !PhraseFiles.Contains(Path.GetFileName(f)))
            .Order(StringComparer.Ordinal)
            .Select(Load)
            .ToDictionary(d => d.Id);

    public static DialogDefinition Load(string path)
    {
        DialogDefinition dialog;
        try
        {
            dialog = Yaml.Deserialize<DialogDefinition>(File.ReadAllText(path))
                     ?? throw new InvalidDataException("empty file");
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
        if (string.IsNullOrEmpty(dialog.Id) || dialog.Steps is null || string.IsNullOrEmpty(dialog.Handler))
            throw new InvalidDataException($"{path}: a dialog needs an id, steps (which may be empty) and a handler.");
        foreach (var step in dialog.Steps)
        {
            if (!PromptKinds.Contains(step.Prompt))
                throw new InvalidDataException($"{path}: step '{step.Id}' has unknown prompt kind '{step.Prompt}'.");
            if (!step.Ask.ContainsKey("zh-CN") || !step.Ask.ContainsKey("en"))
                throw new InvalidDataException($"{path}: step '{step.Id}' must ask in zh-CN and en.");
            if (step.Prompt == "choice" && step.Choices.Count == 0)
                throw new InvalidDataException($"{path}: choice step '{step.Id}' has no choices.");
        }
        return dialog;
    }
}
