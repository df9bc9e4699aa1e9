using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Linli.Understanding;

/// <summary>
/// Reads prompts/{Plugin}/{function}.yaml, written in Semantic Kernel's YAML prompt schema, into a
/// <see cref="PromptTemplateConfig"/> (the Microsoft.SemanticKernel.Yaml package is not available here).
/// </summary>
public static class PromptFiles
{
    private sealed class PromptYaml
    {
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public string TemplateFormat { get; set; } = PromptTemplateConfig.SemanticKernelTemplateFormat;
        public string Template { get; set; } = "";
        public List<VariableYaml> InputVariables { get; set; } = [];
        public Dictionary<string, SettingsYaml> ExecutionSettings { get; set; } = [];
    }

    private sealed class VariableYaml
    {
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public bool IsRequired { get; set; } = true;
    }

    private sealed class SettingsYaml
    {
        public double? Temperature { get; set; }
        public int? MaxTokens { get; set; }
    }

    private static readonly IDeserializer Yaml =
        new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "prompts");

    public static PromptTemplateConfig Load(string plugin, string function)
    {
        var path = Path.Combine(Folder, plugin, function + ".yaml");
        var yaml = Yaml.Deserialize<PromptYaml>(File.ReadAllText(path))
            ?? throw new InvalidDataException($"{path} is empty.");
        if (string.IsNullOrWhiteSpace(yaml.Template)) throw new InvalidDataException($"{path} has no template.");
        var config = new PromptTemplateConfig(yaml.Template)
        {
            Name = yaml.Name,
            Description = yaml.Description,
            TemplateFormat = yaml.TemplateFormat,
        };
        foreach (var v in yaml.InputVariables)
            config.InputVariables.Add(
                new InputVariable { Name = v.Name, Description = v.Description, IsRequired = v.IsRequired });
        foreach (var (serviceId, s) in yaml.ExecutionSettings)
        {
            var settings = new OpenAIPromptExecutionSettings { Temperature = s.Temperature, MaxTokens = s.MaxTokens };
            // "default" in the file is the settings for any service.
            config.AddExecutionSettings(settings, serviceId == "default" ? null : serviceId);
        }
        return config;
    }
}
