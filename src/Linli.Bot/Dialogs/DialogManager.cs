using Linli.Bot.Turns;
using Linli.Bot.Understanding;

namespace Linli.Bot.Dialogs;

/// <summary>
/// Runs data-defined dialogs as waterfalls: fill what the resident already said, ask each missing step, read and check
/// the answer, ask again (up to a limit, then offer a person), say back what was understood when anything was taken
/// rather than asked, and hand the answers to the dialog's handler at the end. The stack lives in conversation state,
/// so it survives restarts. The engine knows no feature and no channel. What it says is the
/// <see cref="DialogPrompter"/>'s; answers taken rather than asked are the <see cref="DialogSlots"/>'.
/// </summary>
public sealed class DialogManager(
    IReadOnlyDictionary<string, DialogDefinition> dialogs,
    IEnumerable<IDialogHandler> handlers,
    IEnumerable<IDialogValidator> validators,
    DialogPhrases phrases,
    DialogOptions options,
    TimeProvider time)
{
    private readonly Dictionary<string, IDialogHandler> _handlers = handlers.ToDictionary(h => h.Name);
    private readonly DialogSlots _slots = new(validators.ToDictionary(v => v.Name), phrases);
    private readonly Confirmation _confirmation = new(phrases);
    private readonly DialogPrompter _prompter = new(phrases);

    private Waterfall Waterfall =>
        field ??= new(this, dialogs, _handlers, phrases, options, time, _confirmation, _prompter, _slots);

    public IReadOnlyDictionary<string, DialogDefinition> Dialogs => dialogs;

    public DialogPhrases Phrases => phrases;

    /// <summary>Handler and validator names the dialogs use that no C# registers (empty when all is well).</summary>
    public IEnumerable<string> MissingNames()
    {
        var handlerNames = dialogs.Values.SelectMany(d => new[] { d.Handler, d.Begin }).OfType<string>();
        var validatorNames = dialogs.Values.SelectMany(d => d.Steps).SelectMany(s => s.Validate);
        return handlerNames.Where(h => !_handlers.ContainsKey(h)).Select(h => $"handler {h}")
            .Concat(validatorNames.Where(v => !_slots.Knows(v)).Select(v => $"validator {v}"))
            .Distinct();
    }

    public DialogDefinition? ForIntent(string intent) => dialogs.Values.FirstOrDefault(d => d.Intent == intent);

    public DialogStack Stack(TurnContext turn) =>
        turn.GetState<DialogStack>(DialogStack.StateName) ?? new DialogStack();

    public bool IsActive(TurnContext turn) => Stack(turn).Active is not null;

    /// <summary>
    /// The step the resident is answering now, if any (the confirmation and "change what?" are steps too).
    /// </summary>
    public StepDefinition? CurrentStep(TurnContext turn) =>
        Stack(turn).Active is { } frame ? StepAt(dialogs[frame.DialogId], frame) : null;

    private StepDefinition StepAt(DialogDefinition dialog, DialogFrame frame) =>
        frame.Step == Confirmation.ConfirmStep(dialog) ? _confirmation.Confirm(dialog, frame.Values)
        : frame.Step == Confirmation.FixStep(dialog) ? _confirmation.WhatToFix(dialog, frame.Values)
        : dialog.Steps[frame.Step];

    /// <summary>True when the active dialog has been left alone longer than the idle timeout.</summary>
    public bool HasExpired(TurnContext turn) =>
        Stack(turn).Active is { } frame && time.GetUtcNow() - frame.LastActive > IdleTimeout(frame.DialogId);

    private TimeSpan IdleTimeout(string dialogId) =>
        Dialogs.GetValueOrDefault(dialogId)?.IdleMinutes is { } minutes
            ? TimeSpan.FromMinutes(minutes)
            : options.IdleTimeout;

    public void Save(TurnContext turn, DialogStack stack) => turn.SetState(DialogStack.StateName, stack);

    /// <summary>The dialog in progress counts as active from now (time with a person does not run its idle clock).
    /// </summary>
    public void Touch(TurnContext turn)
    {
        if (Stack(turn).Active is { } frame) Replace(turn, frame with { LastActive = time.GetUtcNow() });
    }

    public void CancelAll(TurnContext turn) => Save(turn, new DialogStack());

    /// <summary>Starts a dialog on top of the stack (the caller decides what happens to one already running).</summary>
    /// <param name="values">Answers known before the dialog starts (e.g. the ticket a rating is for).</param>
    public async Task<DialogTurnStatus> BeginAsync(TurnContext turn, string dialogId, RecognizerResult? recognized,
        CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? values = null)
    {
        var dialog = dialogs[dialogId];
        var stack = Stack(turn);
        // What the opening message named stays at hand for the handler as "mentioned_<entity>" (e.g. another flat
        // than one's own), and the message itself as "said", so nothing the resident wrote is lost.
        var known = recognized?.Entities.GroupBy(e => e.Entity)
            .ToDictionary(g => "mentioned_" + g.Key, g => g.First().Value) ?? [];
        if (recognized is not null) known[DialogResults.Said] = recognized.Text;
        foreach (var (name, value) in values ?? new Dictionary<string, string>()) known[name] = value;
        if (dialog.Begin is { } begin)
        {
            var begun = new DialogCompletion(turn, dialog.Id, known) { Texts = dialog.Texts };
            foreach (var (name, value) in await _handlers[begin].CompleteAsync(begun, cancellationToken))
                known[name] = value;
        }
        var frame = new DialogFrame { DialogId = dialogId, Step = -1, Values = known, LastActive = time.GetUtcNow() };
        Save(turn, stack with { Frames = [.. stack.Frames, frame], PendingSwitch = null });
        if (dialog.Intro is { } intro)
            await _prompter.SayAsync(turn, dialog, intro.For(turn.Activity.Locale), cancellationToken);
        // What the first message already said (a flat, a month, where, what) answers its steps at once.
        return await Waterfall.AdvanceAsync(turn, frame, recognized, gist: true, cancellationToken);
    }

    /// <summary>Ends the active dialog and starts another in its place (the stack below is kept).</summary>
    public Task<DialogTurnStatus> ReplaceAsync(TurnContext turn, string dialogId, RecognizerResult? recognized,
        CancellationToken cancellationToken)
    {
        Pop(turn);
        return BeginAsync(turn, dialogId, recognized, cancellationToken);
    }

    /// <summary>
    /// Ends the active dialog without running its handler; a dialog below it, if any, is active again.
    /// </summary>
    public void End(TurnContext turn) => Pop(turn);

    /// <summary>Feeds the resident's message to the waiting step.</summary>
    public async Task<DialogTurnStatus> ContinueAsync(TurnContext turn, RecognizerResult? recognized,
        CancellationToken cancellationToken)
    {
        if (Stack(turn).Active is not { } frame) return DialogTurnStatus.Empty;
        var dialog = dialogs[frame.DialogId];
        if (frame.Step == Confirmation.ConfirmStep(dialog))
            return await ConfirmedAsync(turn, dialog, frame, recognized, cancellationToken);
        var step = StepAt(dialog, frame);
        var answer = PromptParser.Parse(step, turn.Activity, recognized, phrases);
        if (answer is { Length: > 0 } && !await _slots.PassesAsync(step, answer, turn, cancellationToken))
            answer = null;

        if (answer is null) return await Waterfall.RetryAsync(turn, frame, step, cancellationToken);
        if (frame.Step == Confirmation.FixStep(dialog))
            return await Waterfall.FixAsync(turn, dialog, frame, answer, cancellationToken);

        var answered = frame with { Values = new(frame.Values) { [step.Id] = answer }, Retries = 0 };
        answered.Values.Remove(step.Id + DialogResults.SaidSuffix);   // answered as asked: shown as chosen
        // A typed answer may say more than was asked ("3栋电梯" to "where?" says it is the lift;
        // "大堂的灯不亮" to "which kind?" also describes it): it fills later steps too. A tapped button says only
        // what it says.
        var said = turn.Activity.Text?.Trim() ?? "";
        var tapped = step.Choices.Any(c => c.Titles.Contains(said, StringComparer.OrdinalIgnoreCase));
        var gist = !tapped && step.Prompt != "text";
        return await Waterfall.AdvanceAsync(turn, answered, tapped ? null : recognized, gist, cancellationToken);
    }

    /// <summary>
    /// The answer to "…，对吗？": yes finishes; "改一下" asks what to change; a correction in words is taken
    /// and said back.
    /// </summary>
    private async Task<DialogTurnStatus> ConfirmedAsync(TurnContext turn, DialogDefinition dialog, DialogFrame frame,
        RecognizerResult? recognized, CancellationToken cancellationToken)
    {
        switch (_confirmation.Read(turn.Activity.Text ?? ""))
        {
            case true:
                return await Waterfall.FinishAsync(turn, dialog, frame with { Confirmed = true }, cancellationToken);
            case false:
                var fixing = Confirmation.FixStep(dialog);
                Replace(turn, frame with { Step = fixing, Retries = 0, LastActive = time.GetUtcNow() });
                var whatToFix = _confirmation.WhatToFix(dialog, frame.Values);
                await _prompter.AskAsync(turn, dialog, whatToFix, null, cancellationToken);
                return DialogTurnStatus.Waiting;
        }
        // "不对，是厨房": what the correction names replaces what was understood.
        if (await _slots.CorrectedAsync(turn, dialog, frame, recognized, cancellationToken) is { } values)
            return await Waterfall.AdvanceAsync(turn, frame with { Values = values, Step = -1 }, null, gist: false,
                cancellationToken);
        return await Waterfall.RetryAsync(turn, frame, _confirmation.Confirm(dialog, frame.Values), cancellationToken);
    }

    /// <summary>
    /// Whether the message answers the waiting question: a value that fits the prompt, or, at a confirmation, yes,
    /// "改一下" or a correction ("不紧急" there is an answer, not a cancel).
    /// </summary>
    public async Task<bool> FitsAsync(TurnContext turn, RecognizerResult? recognized,
        CancellationToken cancellationToken)
    {
        if (Stack(turn).Active is not { } frame) return false;
        var dialog = dialogs[frame.DialogId];
        if (frame.Step == Confirmation.ConfirmStep(dialog))
            return _confirmation.Read(turn.Activity.Text ?? "") is not null
                   || await _slots.CorrectedAsync(turn, dialog, frame, recognized, cancellationToken) is not null;
        return PromptParser.Parse(StepAt(dialog, frame), turn.Activity, recognized, phrases) is not null;
    }

    /// <summary>Asks the waiting step's question again (after help, or a "no" to switching).</summary>
    public Task RepromptAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (Stack(turn).Active is not { } frame) return Task.CompletedTask;
        var dialog = dialogs[frame.DialogId];
        return _prompter.AskAsync(turn, dialog, StepAt(dialog, frame), null, cancellationToken);
    }

    internal void Replace(TurnContext turn, DialogFrame frame)
    {
        var stack = Stack(turn);
        Save(turn, stack with { Frames = [.. stack.Frames.SkipLast(1), frame] });
    }

    internal void Pop(TurnContext turn)
    {
        var stack = Stack(turn);
        Save(turn, stack with { Frames = [.. stack.Frames.SkipLast(1)] });
    }
}
