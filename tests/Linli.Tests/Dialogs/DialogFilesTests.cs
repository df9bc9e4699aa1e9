using System.Text.Json;
using Json.Schema;
using Linli.Bot.Dialogs;
using Linli.Tests.Support;
using Linli.Understanding;
using Microsoft.Extensions.DependencyInjection;
using YamlDotNet.RepresentationModel;

namespace Linli.Tests.Dialogs;

/// <summary>Every file in dialogs/ and prompts/ loads, matches its schema, and names only handlers that exist.</summary>
public class DialogFilesTests
{
    private static readonly string DialogsFolder = Path.Combine(RepoPaths.Root, "dialogs");

    // The schema registers its $id globally: load it once.
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromFile(Path.Combine(DialogsFolder, "dialog.schema.json")));

    public static TheoryData<string> DialogFiles() =>
        new(Directory.EnumerateFiles(DialogsFolder, "*.yaml")
            .Where(f => !DialogLoader.PhraseFiles.Contains(Path.GetFileName(f))).Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(DialogFiles))]
    public void EachDialogFileMatchesTheSchemaItReferences(string file)
    {
        var path = Path.Combine(DialogsFolder, file);
        var text = File.ReadAllText(path);
        Assert.StartsWith("# yaml-language-server: $schema=./dialog.schema.json", text);

        var schema = Schema.Value;
        var json = JsonDocument.Parse(YamlToJson(text)).RootElement;
        var result = schema.Evaluate(json, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));

        var dialog = DialogLoader.Load(path);
        Assert.Equal(Path.GetFileNameWithoutExtension(path), dialog.Id);
    }

    /// <summary>YAML as an editor's schema check sees it: unquoted true/false and numbers keep their types.</summary>
    private static string YamlToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents[0].RootNode)!.ToJsonString();

        static System.Text.Json.Nodes.JsonNode? Convert(YamlNode node) => node switch
        {
            YamlMappingNode map => new System.Text.Json.Nodes.JsonObject(map.Children.Select(kv =>
                KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, Convert(kv.Value)))),
            YamlSequenceNode seq => new System.Text.Json.Nodes.JsonArray(seq.Children.Select(Convert).ToArray()),
            YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "true" or "false" } b => System.Text.Json.Nodes.JsonValue.Create(b.Value == "true"),
            YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } n when double.TryParse(n.Value, System.Globalization.CultureInfo.InvariantCulture, out var d) => System.Text.Json.Nodes.JsonValue.Create(d),
            YamlScalarNode scalar => System.Text.Json.Nodes.JsonValue.Create(scalar.Value),
            _ => null,
        };
    }

    [Fact]
    public void TheSchemaCatchesAMistake()
    {
        var schema = Schema.Value;
        var broken = JsonDocument.Parse("""{"id":"x","handler":"h","steps":[{"id":"a","prompt":"essay","ask":{"zh-CN":"写"}}]}""").RootElement;
        Assert.False(schema.Evaluate(broken).IsValid);
    }

    [Fact]
    public void EveryHandlerAndValidatorTheDialogsNameIsRegistered()
    {
        using var app = new LinliAppFactory();
        var dialogs = app.Services.GetRequiredService<DialogManager>();
        Assert.NotEmpty(dialogs.Dialogs);
        Assert.Empty(dialogs.MissingNames());
        Assert.All(dialogs.Dialogs.Values, d => Assert.NotNull(d.Intent is null ? d : dialogs.ForIntent(d.Intent)));
    }

    [Fact]
    public void EveryPromptFileLoads()
    {
        var files = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "prompts"), "*.yaml", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var config = PromptFiles.Load(Path.GetFileName(Path.GetDirectoryName(file))!, Path.GetFileNameWithoutExtension(file));
            Assert.False(string.IsNullOrWhiteSpace(config.Template));
            var temperatures = config.ExecutionSettings.Values.Select(s => ((Microsoft.SemanticKernel.Connectors.OpenAI.OpenAIPromptExecutionSettings)s).Temperature).ToList();
            Assert.NotEmpty(temperatures);
            // Routing must be repeatable (0); drafts for staff may vary a little, never wildly.
            Assert.All(temperatures, t => Assert.InRange(t ?? -1, 0.0, config.Name == "route" ? 0.0 : 0.5));
        }
    }
}
