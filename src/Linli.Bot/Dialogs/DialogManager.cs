using System.Text.RegularExpressions;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Bot.Understanding;

namespace Linli.Bot.Dialogs;

/// <summary>
/// Runs data-defined dialogs as waterfalls: ask each step, read and check the answer, ask again (up to a limit,
/// then offer a person), and hand the answers to the dialog's handler at the end. The stack lives in
/// conversation state, so it survives restarts. The engine knows no feature and no channel.
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

    public IReadOnlyDictionary<string, DialogDefinition> Dialogs => dialogs;

    /// <summary>Handler and validator names the dialogs use that no C# registers (empty when all is well).</summary>
    public IEnumerable<string> MissingNames() =>
        dialogs.Values.SelectMany(d => new[] { d.Handler, d.Begin }).OfType<string>().Where(h => !_handlers.ContainsKey(h)).Select(h => $"handler {h}")
            .Concat(dialogs.Values.SelectMany(d => d.Steps).SelectMany(s => s.Validate).Where(v => !_validators.ContainsKey(v)).Select(v => $"validator {v}"))
            .Distinct();

    public DialogDefinition? ForIntent(string intent) => dialogs.Values.FirstOrDefault(d => d.Intent == intent);

    public DialogStack Stack(TurnContext turn) => turn.GetState<DialogStack>(DialogStack.StateName) ?? new DialogStack();

    public bool IsActive(TurnContext turn) => Stack(turn).Active is not null;

    /// <summary>The step the resident is answering now, if any.</summary>
    public StepDefinition? CurrentStep(TurnContext turn) =>
        Stack(turn).Active is { } frame ? dialogs[frame.DialogId].Steps[frame.Step] : null;

    /// <summary>True when the active dialog has been left alone longer than the idle timeout.</summary>
    public bool HasExpired(TurnContext turn) =>
        Stack(turn).Active is { } frame && time.GetUtcNow() - frame.LastActive >
            (Dialogs.GetValueOrDefault(frame.DialogId)?.IdleMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : options.IdleTimeout);

    public void Save(TurnContext turn, DialogStack stack) => turn.SetState(DialogStack.StateName, stack);

    public void CancelAll(TurnContext turn) => Save(turn, new DialogStack());

    /// <summary>Starts a dialog on top of the stack (the caller decides what happens to one already running).</summary>
    /// <param name="values">Answers known before the dialog starts (e.g. the ticket a rating is for).</param>
    public async Task<DialogTurnStatus> BeginAsync(TurnContext turn, string dialogId, RecognizerResult? recognized, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? values = null)
    {
        var dialog = dialogs[dialogId];
        var stack = Stack(turn);
        // What the opening message named stays at hand for the handler as "mentioned_<entity>" (e.g. another flat than one's own).
        var known = recognized?.Entities.GroupBy(e => e.Entity).ToDictionary(g => "mentioned_" + g.Key, g => g.First().Value) ?? [];
        foreach (var (name, value) in values ?? new Dictionary<string, string>()) known[name] = value;
        if (dialog.Begin is { } begin)
            foreach (var (name, value) in await _handlers[begin].CompleteAsync(new DialogCompletion(turn, dialog.Id, known), cancellationToken))
                known[name] = value;
        var frame = new DialogFrame { DialogId = dialogId, Step = -1, Values = known, LastActive = time.GetUtcNow() };
        Save(turn, stack with { Frames = [.. stack.Frames, frame], PendingSwitch = null });
        if (dialog.Intro is { } intro) await turn.SendActivityAsync(intro.For(turn.Activity.Locale), cancellationToken: cancellationToken);
        // What the first message already said (a unit, a period) answers its steps at once.
        return await AdvanceAsync(turn, frame, recognized, cancellationToken);
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
        var step = dialogs[frame.DialogId].Steps[frame.Step];
        var answer = PromptParser.Parse(step, turn.Activity, recognized, phrases);
        if (answer is not null && answer.Length > 0)
            foreach (var rule in step.Validate)
                if (!await _validators[rule].IsValidAsync(answer, turn, cancellationToken)) { answer = null; break; }

        if (answer is null)
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
            await AskAsync(turn, step, retry is null ? null : retry + "\n", cancellationToken);
            return DialogTurnStatus.Waiting;
        }

        var answered = frame with { Values = new(frame.Values) { [step.Id] = answer }, Retries = 0 };
        return await AdvanceAsync(turn, answered, null, cancellationToken);
    }

    /// <summary>Asks the waiting step's question again (after help, or a "no" to switching).</summary>
    public Task RepromptAsync(TurnContext turn, CancellationToken cancellationToken) =>
        CurrentStep(turn) is { } step ? AskAsync(turn, step, null, cancellationToken) : Task.CompletedTask;

    private async Task<DialogTurnStatus> AdvanceAsync(TurnContext turn, DialogFrame frame, RecognizerResult? recognized, CancellationToken cancellationToken)
    {
        var dialog = dialogs[frame.DialogId];
        var values = new Dictionary<string, string>(frame.Values);
        for (var next = frame.Step + 1; next < dialog.Steps.Count; next++)
        {
            var step = dialog.Steps[next];
            if (step.When is { } when && when.Any(w => values.GetValueOrDefault(w.Key) != w.Value)) continue;
            // What is already known (from a begin handler, or the dialog before) is not asked again.
            if (values.ContainsKey(step.Id)) continue;
            // Entities in the opening message fill unit and period steps without asking,
            if (recognized is not null && step.Prompt is "unit" or "period" && recognized.Entity(step.Prompt) is { } known
                && await PassesAsync(step, known, turn, cancellationToken))
            {
                values[step.Id] = known;
                continue;
            }
            // and pick a choice the opening message names ("电梯坏了" is a lift) or that stands for them ("2026年3月的物业费" is a month's bill).
            if (recognized is not null && step.Prompt == "choice"
                && (step.Choices.FirstOrDefault(c => c.Titles.Any(t => t.Length >= 2 && recognized.Text.Contains(t, StringComparison.OrdinalIgnoreCase)))
                    ?? step.Choices.FirstOrDefault(c => c.Entity is { } e && recognized.Entity(e) is not null)) is { } implied)
            {
                values[step.Id] = implied.Id;
                continue;
            }
            Replace(turn, frame with { Step = next, Values = values, Retries = 0, LastActive = time.GetUtcNow() });
            await AskAsync(turn, step, null, cancellationToken);
            return DialogTurnStatus.Waiting;
        }

        Pop(turn);
        var result = await _handlers[dialog.Handler].CompleteAsync(new DialogCompletion(turn, dialog.Id, values), cancellationToken);
        var ending = result.TryGetValue(DialogResults.Outcome, out var outcome) && dialog.Outcomes.TryGetValue(outcome, out var other) ? other : dialog.Done;
        if (ending is not null)
            await turn.SendActivityAsync(Fill(ending.For(turn.Activity.Locale), result, values), cancellationToken: cancellationToken);
        // The next dialog starts knowing what the handler found (e.g. the complaint a mediation offer is about).
        if (result.TryGetValue(DialogResults.Next, out var nextDialog) && dialogs.ContainsKey(nextDialog))
            return await BeginAsync(turn, nextDialog, null, cancellationToken,
                result.Where(r => r.Key is not (DialogResults.Outcome or DialogResults.Next)).ToDictionary());
        return DialogTurnStatus.Complete;
    }

    private async Task<bool> PassesAsync(StepDefinition step, string value, TurnContext turn, CancellationToken cancellationToken)
    {
        foreach (var rule in step.Validate)
            if (!await _validators[rule].IsValidAsync(value, turn, cancellationToken)) return false;
        return true;
    }

    private Task AskAsync(TurnContext turn, StepDefinition step, string? before, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale;
        var buttons = step.Prompt switch
        {
            "choice" => step.Choices.Select(c => CardAction.ImBack(c.Title(locale))).ToList(),
            "confirm" => [CardAction.ImBack(phrases.Yes.For(locale)), CardAction.ImBack(phrases.No.For(locale))],
            _ => new List<CardAction>(),
        };
        if (step.Optional) buttons.Add(CardAction.ImBack(phrases.Skip.For(locale)));
        var reply = turn.Activity.CreateReply(before + step.Ask.For(locale));
        reply.InputHint = InputHints.ExpectingInput;
        if (buttons.Count > 0) reply.SuggestedActions = new SuggestedActions { Actions = buttons };
        return turn.SendActivityAsync(reply, cancellationToken);
    }

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
