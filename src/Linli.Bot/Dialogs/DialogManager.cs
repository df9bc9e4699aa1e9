using System.Text.RegularExpressions;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Bot.Understanding;

namespace Linli.Bot.Dialogs;

/// <summary>
/// Runs data-defined dialogs as waterfalls: fill what the resident already said, ask each missing step, read and check
/// the answer, ask again (up to a limit, then offer a person), say back what was understood when anything was taken
/// rather than asked, and hand the answers to the dialog's handler at the end. The stack lives in conversation state,
/// so it survives restarts. The engine knows no feature and no channel.
/// </summary>
public sealed partial class DialogManager(
    IReadOnlyDictionary<string, DialogDefinition> dialogs,
    IEnumerable<IDialogHandler> handlers,
    IEnumerable<IDialogValidator> validators,
    DialogPhrases phrases,
    DialogOptions options,
    TimeProvider time)
{
    private readonly Dictionary<string, IDialogHandler> _handlers = handlers.ToDictionary(h => h.Name);
    private readonly Dictionary<string, IDialogValidator> _validators = validators.ToDictionary(v => v.Name);
    private readonly Confirmation _confirmation = new(phrases);

    public IReadOnlyDictionary<string, DialogDefinition> Dialogs => dialogs;

    public DialogPhrases Phrases => phrases;

    /// <summary>Handler and validator names the dialogs use that no C# registers (empty when all is well).</summary>
    public IEnumerable<string> MissingNames() =>
        dialogs.Values.SelectMany(d => new[] { d.Handler, d.Begin }).OfType<string>().Where(h => !_handlers.ContainsKey(h)).Select(h => $"handler {h}")
            .Concat(dialogs.Values.SelectMany(d => d.Steps).SelectMany(s => s.Validate).Where(v => !_validators.ContainsKey(v)).Select(v => $"validator {v}"))
            .Distinct();

    public DialogDefinition? ForIntent(string intent) => dialogs.Values.FirstOrDefault(d => d.Intent == intent);

    public DialogStack Stack(TurnContext turn) => turn.GetState<DialogStack>(DialogStack.StateName) ?? new DialogStack();

    public bool IsActive(TurnContext turn) => Stack(turn).Active is not null;

    /// <summary>The step the resident is answering now, if any (the confirmation and "change what?" are steps too).</summary>
    public StepDefinition? CurrentStep(TurnContext turn) =>
        Stack(turn).Active is { } frame ? StepAt(dialogs[frame.DialogId], frame) : null;

    private StepDefinition StepAt(DialogDefinition dialog, DialogFrame frame) =>
        frame.Step == Confirmation.ConfirmStep(dialog) ? _confirmation.Confirm(dialog, frame.Values)
        : frame.Step == Confirmation.FixStep(dialog) ? _confirmation.WhatToFix(dialog, frame.Values)
        : dialog.Steps[frame.Step];

    /// <summary>True when the active dialog has been left alone longer than the idle timeout.</summary>
    public bool HasExpired(TurnContext turn) =>
        Stack(turn).Active is { } frame && time.GetUtcNow() - frame.LastActive >
            (Dialogs.GetValueOrDefault(frame.DialogId)?.IdleMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : options.IdleTimeout);

    public void Save(TurnContext turn, DialogStack stack) => turn.SetState(DialogStack.StateName, stack);

    /// <summary>The dialog in progress counts as active from now (time spent with a person does not run its idle clock).</summary>
    public void Touch(TurnContext turn)
    {
        if (Stack(turn).Active is { } frame) Replace(turn, frame with { LastActive = time.GetUtcNow() });
    }

    public void CancelAll(TurnContext turn) => Save(turn, new DialogStack());

    /// <summary>Starts a dialog on top of the stack (the caller decides what happens to one already running).</summary>
    /// <param name="values">Answers known before the dialog starts (e.g. the ticket a rating is for).</param>
    public async Task<DialogTurnStatus> BeginAsync(TurnContext turn, string dialogId, RecognizerResult? recognized, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? values = null)
    {
        var dialog = dialogs[dialogId];
        var stack = Stack(turn);
        // What the opening message named stays at hand for the handler as "mentioned_<entity>" (e.g. another flat than
        // one's own), and the message itself as "said", so nothing the resident wrote is lost.
        var known = recognized?.Entities.GroupBy(e => e.Entity).ToDictionary(g => "mentioned_" + g.Key, g => g.First().Value) ?? [];
        if (recognized is not null) known[DialogResults.Said] = recognized.Text;
        foreach (var (name, value) in values ?? new Dictionary<string, string>()) known[name] = value;
        if (dialog.Begin is { } begin)
            foreach (var (name, value) in await _handlers[begin].CompleteAsync(new DialogCompletion(turn, dialog.Id, known), cancellationToken))
                known[name] = value;
        var frame = new DialogFrame { DialogId = dialogId, Step = -1, Values = known, LastActive = time.GetUtcNow() };
        Save(turn, stack with { Frames = [.. stack.Frames, frame], PendingSwitch = null });
        if (dialog.Intro is { } intro) await SayAsync(turn, dialog, intro.For(turn.Activity.Locale), cancellationToken);
        // What the first message already said (a flat, a month, where, what) answers its steps at once.
        return await AdvanceAsync(turn, frame, recognized, gist: true, cancellationToken);
    }

    /// <summary>Ends the active dialog and starts another in its place (the stack below is kept).</summary>
    public Task<DialogTurnStatus> ReplaceAsync(TurnContext turn, string dialogId, RecognizerResult? recognized, CancellationToken cancellationToken)
    {
        Pop(turn);
        return BeginAsync(turn, dialogId, recognized, cancellationToken);
    }

    /// <summary>Ends the active dialog without running its handler; a dialog below it, if any, is active again.</summary>
    public void End(TurnContext turn) => Pop(turn);

    /// <summary>Feeds the resident's message to the waiting step.</summary>
    public async Task<DialogTurnStatus> ContinueAsync(TurnContext turn, RecognizerResult? recognized, CancellationToken cancellationToken)
    {
        if (Stack(turn).Active is not { } frame) return DialogTurnStatus.Empty;
        var dialog = dialogs[frame.DialogId];
        if (frame.Step == Confirmation.ConfirmStep(dialog)) return await ConfirmedAsync(turn, dialog, frame, recognized, cancellationToken);
        var step = StepAt(dialog, frame);
        var answer = PromptParser.Parse(step, turn.Activity, recognized, phrases);
        if (answer is not null && answer.Length > 0)
            foreach (var rule in step.Validate)
                if (!await _validators[rule].IsValidAsync(answer, turn, cancellationToken)) { answer = null; break; }

        if (answer is null) return await RetryAsync(turn, frame, step, cancellationToken);

        if (frame.Step == Confirmation.FixStep(dialog))
        {
            // Ask that step again; the answers after it stay, and the confirmation comes back.
            var fixing = dialog.Steps.FindIndex(s => s.Id == answer);
            var values = new Dictionary<string, string>(frame.Values);
            values.Remove(answer);
            values.Remove(answer + DialogResults.SaidSuffix);
            var again = frame with { Step = fixing, Values = values, Retries = 0, LastActive = time.GetUtcNow(), Inferred = [.. frame.Inferred.Where(i => i != answer)] };
            Replace(turn, again);
            await AskAsync(turn, dialog, dialog.Steps[fixing], null, cancellationToken);
            return DialogTurnStatus.Waiting;
        }

        var answered = frame with { Values = new(frame.Values) { [step.Id] = answer }, Retries = 0 };
        answered.Values.Remove(step.Id + DialogResults.SaidSuffix);   // answered as asked: shown as chosen
        // A typed answer may say more than was asked ("3栋电梯" to "where?" says it is the lift; "大堂的灯不亮" to "which
        // kind?" also describes it): it fills later steps too. A tapped button says only what it says.
        var tapped = step.Choices.Any(c => c.Titles.Contains(turn.Activity.Text?.Trim() ?? "", StringComparer.OrdinalIgnoreCase));
        return await AdvanceAsync(turn, answered, tapped ? null : recognized, gist: !tapped && step.Prompt != "text", cancellationToken);
    }

    private async Task<DialogTurnStatus> RetryAsync(TurnContext turn, DialogFrame frame, StepDefinition step, CancellationToken cancellationToken)
    {
        if (frame.Retries >= options.MaxRetries)
        {
            CancelAll(turn);
            await turn.SendActivityAsync(phrases.TooManyRetries.For(turn.Activity.Locale),
                [CardAction.ImBack(phrases.HumanHandoff.For(turn.Activity.Locale))], cancellationToken);
            return DialogTurnStatus.Cancelled;
        }
        Replace(turn, frame with { Retries = frame.Retries + 1, LastActive = time.GetUtcNow() });
        var retry = step.Retry?.For(turn.Activity.Locale);
        await AskAsync(turn, dialogs[frame.DialogId], step, retry is null ? null : retry + "\n", cancellationToken);
        return DialogTurnStatus.Waiting;
    }

    /// <summary>The answer to "…，对吗？": yes finishes; "改一下" asks what to change; a correction in words is taken and said back.</summary>
    private async Task<DialogTurnStatus> ConfirmedAsync(TurnContext turn, DialogDefinition dialog, DialogFrame frame, RecognizerResult? recognized,
        CancellationToken cancellationToken)
    {
        switch (_confirmation.Read(turn.Activity.Text ?? ""))
        {
            case true:
                return await FinishAsync(turn, dialog, frame with { Confirmed = true }, cancellationToken);
            case false:
                Replace(turn, frame with { Step = Confirmation.FixStep(dialog), Retries = 0, LastActive = time.GetUtcNow() });
                await AskAsync(turn, dialog, _confirmation.WhatToFix(dialog, frame.Values), null, cancellationToken);
                return DialogTurnStatus.Waiting;
        }
        // "不对，是厨房": what the correction names replaces what was understood.
        if (await CorrectedAsync(turn, dialog, frame, recognized, cancellationToken) is { } values)
            return await AdvanceAsync(turn, frame with { Values = values, Step = -1 }, null, gist: false, cancellationToken);
        return await RetryAsync(turn, frame, _confirmation.Confirm(dialog, frame.Values), cancellationToken);
    }

    /// <summary>The answers with what a correction names put in ("很急", "明天上午"); null when it names nothing new.</summary>
    private async Task<Dictionary<string, string>?> CorrectedAsync(TurnContext turn, DialogDefinition dialog, DialogFrame frame,
        RecognizerResult? recognized, CancellationToken cancellationToken)
    {
        if (recognized is null) return null;
        var values = new Dictionary<string, string>(frame.Values);
        var changed = false;
        foreach (var step in dialog.Steps.Where(Applies(values)))
            if (SlotFiller.Fill(step, [.. Fills(step).Where(f => f != "gist")], recognized, dialog, phrases) is { } slot
                && slot.Value != values.GetValueOrDefault(step.Id) && await PassesAsync(step, slot.Value, turn, cancellationToken))
            {
                values[step.Id] = slot.Value;
                if (slot.Said != slot.Value) values[step.Id + DialogResults.SaidSuffix] = slot.Said;
                else values.Remove(step.Id + DialogResults.SaidSuffix);
                changed = true;
            }
        return changed ? values : null;
    }

    /// <summary>
    /// Whether the message answers the waiting question: a value that fits the prompt, or, at a confirmation, yes,
    /// "改一下" or a correction ("不紧急" there is an answer, not a cancel).
    /// </summary>
    public async Task<bool> FitsAsync(TurnContext turn, RecognizerResult? recognized, CancellationToken cancellationToken)
    {
        if (Stack(turn).Active is not { } frame) return false;
        var dialog = dialogs[frame.DialogId];
        if (frame.Step == Confirmation.ConfirmStep(dialog))
            return _confirmation.Read(turn.Activity.Text ?? "") is not null
                   || await CorrectedAsync(turn, dialog, frame, recognized, cancellationToken) is not null;
        return PromptParser.Parse(StepAt(dialog, frame), turn.Activity, recognized, phrases) is not null;
    }

    /// <summary>Asks the waiting step's question again (after help, or a "no" to switching).</summary>
    public Task RepromptAsync(TurnContext turn, CancellationToken cancellationToken) =>
        Stack(turn).Active is { } frame ? AskAsync(turn, dialogs[frame.DialogId], StepAt(dialogs[frame.DialogId], frame), null, cancellationToken) : Task.CompletedTask;

    private async Task<DialogTurnStatus> AdvanceAsync(TurnContext turn, DialogFrame frame, RecognizerResult? recognized, bool gist, CancellationToken cancellationToken)
    {
        var dialog = dialogs[frame.DialogId];
        var values = new Dictionary<string, string>(frame.Values);
        var inferred = new List<string>(frame.Inferred);
        // Everything the message says is taken first, for every step still open (a step that turns out not to apply,
        // a flat once "公共区域" is chosen, is dropped at the end); then the first step still missing is asked.
        if (recognized is not null)
            foreach (var step in dialog.Steps.Skip(Math.Max(frame.Step + 1, 0)).Where(s => !values.ContainsKey(s.Id)))
                if (Fills(step) is { Count: > 0 } sources
                    && SlotFiller.Fill(step, gist ? sources : [.. sources.Where(s => s != "gist")], recognized, dialog, phrases) is { } slot
                    && await PassesAsync(step, slot.Value, turn, cancellationToken))
                {
                    values[step.Id] = slot.Value;
                    if (slot.Said != slot.Value) values[step.Id + DialogResults.SaidSuffix] = slot.Said;
                    inferred.Add(step.Id);
                }
        for (var next = Math.Max(frame.Step + 1, 0); next < dialog.Steps.Count; next++)
        {
            var step = dialog.Steps[next];
            if (!Applies(step, values)) continue;
            // What is already known (from a begin handler, the dialog before, or an earlier answer) is not asked again.
            if (values.ContainsKey(step.Id)) continue;
            if (step.Default is { } fallback)
            {
                values[step.Id] = fallback;
                inferred.Add(step.Id);
                continue;
            }
            Replace(turn, frame with { Step = next, Values = values, Inferred = inferred, Retries = 0, LastActive = time.GetUtcNow() });
            await AskAsync(turn, dialog, step, null, cancellationToken);
            return DialogTurnStatus.Waiting;
        }

        var done = frame with { Values = values, Inferred = inferred };
        // Something was taken rather than asked: say it back in one line, with a button to correct it.
        if (dialog.Confirm is not null && inferred.Count > 0 && !frame.Confirmed)
        {
            Replace(turn, done with { Step = Confirmation.ConfirmStep(dialog), Retries = 0, LastActive = time.GetUtcNow() });
            await AskAsync(turn, dialog, _confirmation.Confirm(dialog, values), null, cancellationToken);
            return DialogTurnStatus.Waiting;
        }
        return await FinishAsync(turn, dialog, done, cancellationToken);
    }

    /// <summary>The sources a step fills from: as declared, or a unit, a month or a choice's title by default.</summary>
    private static List<string> Fills(StepDefinition step) =>
        step.Fill.Count > 0 ? step.Fill
        : step.Prompt switch { "unit" => ["unit"], "period" => ["period"], "choice" => ["words"], _ => [] };

    private static Func<StepDefinition, bool> Applies(IReadOnlyDictionary<string, string> values) => step => Applies(step, values);

    private static bool Applies(StepDefinition step, IReadOnlyDictionary<string, string> values) =>
        step.When is not { } when || when.All(w => values.GetValueOrDefault(w.Key) == w.Value);

    private async Task<DialogTurnStatus> FinishAsync(TurnContext turn, DialogDefinition dialog, DialogFrame frame, CancellationToken cancellationToken)
    {
        // Answers to steps that no longer apply (a flat, after "公共区域" was chosen instead) are not handed on.
        var values = frame.Values.Where(v => dialog.Steps.FirstOrDefault(s => s.Id == v.Key) is not { } step || Applies(step, frame.Values))
            .ToDictionary();
        Pop(turn);
        var result = await _handlers[dialog.Handler].CompleteAsync(new DialogCompletion(turn, dialog.Id, values), cancellationToken);
        var ending = result.TryGetValue(DialogResults.Outcome, out var outcome) && dialog.Outcomes.TryGetValue(outcome, out var other) ? other : dialog.Done;
        if (ending is not null)
            await SayAsync(turn, dialog, Fill(ending.For(turn.Activity.Locale), result, values), cancellationToken);
        var carried = result.Where(r => r.Key is not (DialogResults.Outcome or DialogResults.Next or DialogResults.Then or DialogResults.EndAll)).ToDictionary();
        if (result.ContainsKey(DialogResults.EndAll))
        {
            CancelAll(turn);
            return DialogTurnStatus.Complete;
        }
        // Something must come first (binding the flat): this dialog waits beneath it, answers kept, and finishes after.
        if (result.TryGetValue(DialogResults.Then, out var first) && dialogs.ContainsKey(first))
        {
            var stack = Stack(turn);
            Save(turn, stack with { Frames = [.. stack.Frames, frame with { Values = values, Suspended = true }] });
            return await BeginAsync(turn, first, null, cancellationToken, carried);
        }
        // The next dialog starts knowing what the handler found (e.g. the complaint a mediation offer is about).
        if (result.TryGetValue(DialogResults.Next, out var nextDialog) && dialogs.ContainsKey(nextDialog))
            return await BeginAsync(turn, nextDialog, null, cancellationToken, carried);
        // A request that waited beneath (the bill asked before binding) is answered now.
        if (Stack(turn).Active is { Suspended: true } waiting)
        {
            Replace(turn, waiting with { Suspended = false, LastActive = time.GetUtcNow() });
            return await AdvanceAsync(turn, waiting with { Suspended = false, Step = dialogs[waiting.DialogId].Steps.Count - 1 }, null, gist: false, cancellationToken);
        }
        return DialogTurnStatus.Complete;
    }

    private async Task<bool> PassesAsync(StepDefinition step, string value, TurnContext turn, CancellationToken cancellationToken)
    {
        foreach (var rule in step.Validate)
            if (!await _validators[rule].IsValidAsync(value, turn, cancellationToken)) return false;
        return true;
    }

    private Task AskAsync(TurnContext turn, DialogDefinition dialog, StepDefinition step, string? before, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var buttons = step.Prompt switch
        {
            "choice" => step.Choices.Select(c => CardAction.ImBack(c.Title(locale))).ToList(),
            "confirm" => [CardAction.ImBack(phrases.Yes.For(locale)), CardAction.ImBack(phrases.No.For(locale))],
            _ => new List<CardAction>(),
        };
        if (step.Optional) buttons.Add(CardAction.ImBack(phrases.Skip.For(locale)));
        if (dialog.SideButton is { } side) buttons.Add(CardAction.ImBack(side.For(locale)));
        var reply = turn.Activity.CreateReply(before + step.Ask.For(locale));
        reply.InputHint = InputHints.ExpectingInput;
        if (buttons.Count > 0) reply.SuggestedActions = new SuggestedActions { Actions = buttons };
        return turn.SendActivityAsync(reply, cancellationToken);
    }

    private Task SayAsync(TurnContext turn, DialogDefinition dialog, string text, CancellationToken cancellationToken) =>
        dialog.SideButton is { } side
            ? turn.SendActivityAsync(text, [CardAction.ImBack(side.For(turn.Activity.Locale))], cancellationToken)
            : turn.SendActivityAsync(text, cancellationToken: cancellationToken);

    private void Replace(TurnContext turn, DialogFrame frame)
    {
        var stack = Stack(turn);
        Save(turn, stack with { Frames = [.. stack.Frames.SkipLast(1), frame] });
    }

    private void Pop(TurnContext turn)
    {
        var stack = Stack(turn);
        Save(turn, stack with { Frames = [.. stack.Frames.SkipLast(1)] });
    }

    /// <summary>Fills {name} placeholders from the handler's result, then the answers. Plain substitution, no expressions.</summary>
    private static string Fill(string template, IReadOnlyDictionary<string, string> result, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(template, m => result.GetValueOrDefault(m.Groups[1].Value) ?? values.GetValueOrDefault(m.Groups[1].Value) ?? m.Value);

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();
}
