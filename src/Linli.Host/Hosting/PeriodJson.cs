using System.Text.Json;
using System.Text.Json.Serialization;
using Linli.Calendar;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Linli.Hosting;

/// <summary>Months travel as "2026-03" in JSON, as they are stored.</summary>
public sealed class PeriodJsonConverter : JsonConverter<Period>
{
    public override Period Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Period.TryParse(reader.GetString(), out var p) ? p : throw new JsonException("Expected a month like 2026-03.");

    public override void Write(Utf8JsonWriter writer, Period value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}

internal sealed class PeriodSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type == typeof(Period))
        {
            schema.Type = JsonSchemaType.String;
            schema.Pattern = @"^\d{4}-\d{2}$";
            schema.Properties?.Clear();
            schema.Required?.Clear();
        }
        return Task.CompletedTask;
    }
}
