namespace Linli.Bot.Understanding;

public sealed record IntentScore(string Name, double Confidence);

/// <summary>An entity found in the text; <c>Text[Start..End]</c> is where.</summary>
public sealed record EntityValue(string Entity, string Value, int Start, int End);

/// <summary>What the resident wants (the best intent and the ranking) and what they named.</summary>
public sealed record RecognizerResult(string Text, IntentScore Intent, IReadOnlyList<IntentScore> Ranking, IReadOnlyList<EntityValue> Entities)
{
    public string? Entity(string name) => Entities.FirstOrDefault(e => e.Entity == name)?.Value;

    /// <summary>The kind of danger the emergency guard heard (fire, gas, trapped…), when it heard one.</summary>
    public string? Danger { get; init; }
}

/// <summary>Turns an utterance into a <see cref="RecognizerResult"/>. The bot core knows no more of how.</summary>
public interface IRecognizer
{
    Task<RecognizerResult> RecognizeAsync(string text, string? locale, CancellationToken cancellationToken);
}

/// <summary>The intent ids of DESIGN.md §3.</summary>
public static class Intents
{
    public const string FeeQuery = "fee_query", RepairRequest = "repair_request", Complaint = "complaint",
        HazardReport = "hazard_report", Emergency = "emergency", TeaTable = "tea_table", Mediation = "mediation",
        PublicRevenue = "public_revenue", MaintenanceFund = "maintenance_fund", Notice = "notice",
        HumanHandoff = "human_handoff", Help = "help", Cancel = "cancel", Greeting = "greeting", None = "none";

    public static IReadOnlyList<string> All { get; } =
    [
        FeeQuery, RepairRequest, Complaint, HazardReport, Emergency, TeaTable, Mediation, PublicRevenue,
        MaintenanceFund, Notice, HumanHandoff, Help, Cancel, Greeting, None,
    ];
}
