using System.Text.Json.Serialization;
using Linli.Bot.Understanding;
using Linli.Hosting;
using Linli.People;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Understanding;

public sealed record ParseRequest(string? Text, string? Locale);

public sealed record ParsedIntent(string Name, double Confidence);

public sealed record ParsedEntity(string Entity, string Value, int Start, int End);

/// <summary>The shape of Rasa's <c>/model/parse</c>, which evaluation tools already read.</summary>
public sealed record ParseResponse(
    string Text,
    ParsedIntent Intent,
    [property: JsonPropertyName("intent_ranking")] IReadOnlyList<ParsedIntent> IntentRanking,
    IReadOnlyList<ParsedEntity> Entities);

public static class NluApi
{
    public const int MaxTextLength = 1000;

    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/nlu/parse", Parse).WithTags("Understanding")
            .WithSummary("Intent and entities of one utterance (Rasa /model/parse shape)")
            .RequireRateLimiting(Hosting.RateLimits.Parse);
        return routes;
    }

    private static async Task<Ok<ParseResponse>> Parse(ParseRequest request, IRecognizer recognizer,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Text)) throw DomainProblem.Bad("nlu.text_needed", field: "text");
        if (request.Text.Length > MaxTextLength)
            throw DomainProblem.Bad("nlu.text_too_long", new { max = MaxTextLength }, "text");

        var result = await recognizer.RecognizeAsync(request.Text, request.Locale, cancellationToken);
        return TypedResults.Ok(new ParseResponse(
            result.Text,
            new ParsedIntent(result.Intent.Name, result.Intent.Confidence),
            result.Ranking.Select(r => new ParsedIntent(r.Name, r.Confidence)).ToList(),
            // Phone numbers leave the server masked, here too.
            result.Entities.Select(Shown).ToList()));
    }

    private static ParsedEntity Shown(EntityValue e) =>
        new(e.Entity, e.Entity == Entities.Phone ? PhoneMask.Mask(e.Value) : e.Value, e.Start, e.End);
}
