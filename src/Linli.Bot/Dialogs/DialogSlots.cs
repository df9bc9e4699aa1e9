using Linli.Bot.Turns;
using Linli.Bot.Understanding;

namespace Linli.Bot.Dialogs;

/// <summary>
/// Answers taken rather than asked: what a message says for the steps still open (a flat, a month, where, what),
/// a correction at a confirmation, and whether each value passes its step's validators.
/// </summary>
internal sealed class DialogSlots(IReadOnlyDictionary<string, IDialogValidator> validators, DialogPhrases phrases)
{
    /// <summary>
    /// Fills every step after <paramref name="after"/> still missing from what the message says, into
    /// <paramref name="values"/>; the steps filled are added to <paramref name="inferred"/>.
    /// </summary>
    public async Task TakeAsync(TurnContext turn, DialogDefinition dialog, int after, RecognizerResult recognized,
        bool gist, Dictionary<string, string> values, List<string> inferred, CancellationToken cancellationToken)
    {
        foreach (var step in dialog.Steps.Skip(Math.Max(after + 1, 0)).Where(s => !values.ContainsKey(s.Id)))
        {
            if (Fills(step) is not { Count: > 0 } sources) continue;
            var allowed = gist ? sources : [.. sources.Where(s => s != "gist")];
            if (SlotFiller.Fill(step, allowed, recognized, dialog, phrases) is not { } slot
                || !await PassesAsync(step, slot.Value, turn, cancellationToken))
                continue;
            values[step.Id] = slot.Value;
            if (slot.Said != slot.Value) values[step.Id + DialogResults.SaidSuffix] = slot.Said;
            inferred.Add(step.Id);
        }
    }

    /// <summary>
    /// The answers with what a correction names put in ("很急", "明天上午"); null when it names nothing new.
    /// </summary>
    public async Task<Dictionary<string, string>?> CorrectedAsync(TurnContext turn, DialogDefinition dialog,
        DialogFrame frame, RecognizerResult? recognized, CancellationToken cancellationToken)
    {
        if (recognized is null) return null;
        var values = new Dictionary<string, string>(frame.Values);
        var changed = false;
        foreach (var step in dialog.Steps.Where(s => Applies(s, values)))
        {
            var sources = Fills(step).Where(f => f != "gist").ToList();
            if (SlotFiller.Fill(step, sources, recognized, dialog, phrases) is not { } slot
                || slot.Value == values.GetValueOrDefault(step.Id)
                || !await PassesAsync(step, slot.Value, turn, cancellationToken))
                continue;
            values[step.Id] = slot.Value;
            if (slot.Said != slot.Value) values[step.Id + DialogResults.SaidSuffix] = slot.Said;
            else values.Remove(step.Id + DialogResults.SaidSuffix);
            changed = true;
        }
        return changed ? values : null;
    }

    /// <summary>Whether a validator of this name is registered.</summary>
    public bool Knows(string validator) => validators.ContainsKey(validator);

    public async Task<bool> PassesAsync(StepDefinition step, string value, TurnContext turn,
        CancellationToken cancellationToken)
    {
        foreach (var rule in step.Validate)
            if (!await validators[rule].IsValidAsync(value, turn, cancellationToken)) return false;
        return true;
    }

    /// <summary>
    /// The sources a step fills from: as declared, or a unit, a month or a choice's title by default.
    /// </summary>
    private static List<string> Fills(StepDefinition step) =>
        step.Fill.Count > 0 ? step.Fill
        : step.Prompt switch { "unit" => ["unit"], "period" => ["period"], "choice" => ["words"], _ => [] };

    public static bool Applies(StepDefinition step, IReadOnlyDictionary<string, string> values) =>
        step.When is not { } when || when.All(w => values.GetValueOrDefault(w.Key) == w.Value);
}
