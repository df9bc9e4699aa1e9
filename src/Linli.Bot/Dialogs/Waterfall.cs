using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Bot.Understanding;

namespace Linli.Bot.Dialogs;

/// <summary>
/// The waterfall itself, for <see cref="DialogManager"/>: take what was said, ask the next missing step (again, up to
/// a limit), say back what was taken, and at the end run the handler and go where its result points (a dialog first,
/// a dialog next, the request that waited beneath).
/// </summary>
internal sealed class Waterfall(
    DialogManager manager,
    IReadOnlyDictionary<string, DialogDefinition> dialogs,
    Dictionary<string, IDialogHandler> handlers,
    DialogPhrases phrases,
    DialogOptions options,
    TimeProvider time,
    Confirmation confirmation,
    DialogPrompter prompter,
    DialogSlots slots)
{
    /// <summary>
    /// "改一下" → which one: that step is asked again; the answers after it stay, and the confirmation comes back.
    /// </summary>
    public async Task<DialogTurnStatus> FixAsync(TurnContext turn, DialogDefinition dialog, DialogFrame frame,
        string stepId, CancellationToken cancellationToken)
    {
        var fixing = dialog.Steps.FindIndex(s => s.Id == stepId);
        var values = new Dictionary<string, string>(frame.Values);
        values.Remove(stepId);
        values.Remove(stepId + DialogResults.SaidSuffix);
        manager.Replace(turn, frame with
        {
            Step = fixing,
            Values = values,
            Retries = 0,
            LastActive = time.GetUtcNow(),
            Inferred = [.. frame.Inferred.Where(i => i != stepId)],
        });
        await prompter.AskAsync(turn, dialog, dialog.Steps[fixing], null, cancellationToken);
        return DialogTurnStatus.Waiting;
    }

    public async Task<DialogTurnStatus> RetryAsync(TurnContext turn, DialogFrame frame, StepDefinition step,
        CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        if (frame.Retries >= options.MaxRetries)
        {
            manager.CancelAll(turn);
            await turn.SendActivityAsync(phrases.TooManyRetries.For(locale),
                [CardAction.ImBack(phrases.HumanHandoff.For(locale))], cancellationToken);
            return DialogTurnStatus.Cancelled;
        }
        manager.Replace(turn, frame with { Retries = frame.Retries + 1, LastActive = time.GetUtcNow() });
        var retry = step.Retry?.For(locale);
        await prompter.AskAsync(turn, dialogs[frame.DialogId], step, retry is null ? null : retry + "\n",
            cancellationToken);
        return DialogTurnStatus.Waiting;
    }

    public async Task<DialogTurnStatus> AdvanceAsync(TurnContext turn, DialogFrame frame, RecognizerResult? recognized,
        bool gist, CancellationToken cancellationToken)
    {
        var dialog = dialogs[frame.DialogId];
        var values = new Dictionary<string, string>(frame.Values);
        var inferred = new List<string>(frame.Inferred);
        // Everything the message says is taken first, for every step still open (a step that turns out not to apply,
        // a flat once "公共区域" is chosen, is dropped at the end); then the first step still missing is asked.
        if (recognized is not null)
            await slots.TakeAsync(turn, dialog, frame.Step, recognized, gist, values, inferred, cancellationToken);
        for (var next = Math.Max(frame.Step + 1, 0); next < dialog.Steps.Count; next++)
        {
            var step = dialog.Steps[next];
            if (!DialogSlots.Applies(step, values)) continue;
            // What is already known (from a begin handler, the dialog before, or an earlier answer) is not asked again.
            if (values.ContainsKey(step.Id)) continue;
            if (step.Default is { } fallback)
            {
                values[step.Id] = fallback;
                inferred.Add(step.Id);
                continue;
            }
            var asking = frame with
            {
                Step = next,
                Values = values,
                Inferred = inferred,
                Retries = 0,
                LastActive = time.GetUtcNow(),
            };
            manager.Replace(turn, asking);
            await prompter.AskAsync(turn, dialog, step, null, cancellationToken);
            return DialogTurnStatus.Waiting;
        }

        var done = frame with { Values = values, Inferred = inferred };
        // Something was taken rather than asked: say it back in one line, with a button to correct it.
        if (dialog.Confirm is not null && inferred.Count > 0 && !frame.Confirmed)
        {
            var confirming = done with
            {
                Step = Confirmation.ConfirmStep(dialog),
                Retries = 0,
                LastActive = time.GetUtcNow(),
            };
            manager.Replace(turn, confirming);
            await prompter.AskAsync(turn, dialog, confirmation.Confirm(dialog, values), null, cancellationToken);
            return DialogTurnStatus.Waiting;
        }
        return await FinishAsync(turn, dialog, done, cancellationToken);
    }

    public async Task<DialogTurnStatus> FinishAsync(TurnContext turn, DialogDefinition dialog, DialogFrame frame,
        CancellationToken cancellationToken)
    {
        // Answers to steps that no longer apply (a flat, after "公共区域" was chosen instead) are not handed on.
        var values = frame.Values
            .Where(v => dialog.Steps.FirstOrDefault(s => s.Id == v.Key) is not { } step
                        || DialogSlots.Applies(step, frame.Values))
            .ToDictionary();
        manager.Pop(turn);
        var completion = new DialogCompletion(turn, dialog.Id, values) { Texts = dialog.Texts };
        var result = await handlers[dialog.Handler].CompleteAsync(completion, cancellationToken);
        var ending = result.TryGetValue(DialogResults.Outcome, out var outcome)
                     && dialog.Outcomes.TryGetValue(outcome, out var other) ? other : dialog.Done;
        if (ending is not null)
        {
            var said = DialogPrompter.Fill(ending.For(turn.Activity.Locale), result, values);
            await prompter.SayAsync(turn, dialog, said, cancellationToken);
        }
        var carried = result.Where(r => r.Key is not (DialogResults.Outcome or DialogResults.Next
            or DialogResults.Then or DialogResults.EndAll)).ToDictionary();
        if (result.ContainsKey(DialogResults.EndAll))
        {
            manager.CancelAll(turn);
            return DialogTurnStatus.Complete;
        }
        // Something must come first (binding the flat): this dialog waits beneath it, answers kept, and finishes after.
        if (result.TryGetValue(DialogResults.Then, out var first) && dialogs.ContainsKey(first))
        {
            var stack = manager.Stack(turn);
            var beneath = frame with { Values = values, Suspended = true };
            manager.Save(turn, stack with { Frames = [.. stack.Frames, beneath] });
            return await manager.BeginAsync(turn, first, null, cancellationToken, carried);
        }
        // The next dialog starts knowing what the handler found (e.g. the complaint a mediation offer is about).
        if (result.TryGetValue(DialogResults.Next, out var nextDialog) && dialogs.ContainsKey(nextDialog))
            return await manager.BeginAsync(turn, nextDialog, null, cancellationToken, carried);
        // A request that waited beneath (the bill asked before binding) is answered now.
        if (manager.Stack(turn).Active is { Suspended: true } waiting)
        {
            manager.Replace(turn, waiting with { Suspended = false, LastActive = time.GetUtcNow() });
            var last = dialogs[waiting.DialogId].Steps.Count - 1;
            return await AdvanceAsync(turn, waiting with { Suspended = false, Step = last }, null, gist: false,
                cancellationToken);
        }
        return DialogTurnStatus.Complete;
    }

}
