using System.Text.Json;
using Linli.Bot.Dialogs;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Bot.Understanding;
using Linli.Phrases;
using Linli.StaffConsole;
using Linli.Tickets;
using Linli.Understanding;

namespace Linli.Chat;

/// <summary>
/// The resident-facing bot. The emergency guard hears every message first, in every state (a dialog, a handoff);
/// cancel, help and "talk to staff" interrupt any dialog; an answer to the question asked beats a switch to another
/// task; unsure between two services it asks; the reply follows the resident's language. This class reads the turn
/// and hands it on: to <see cref="InDialog"/> while a dialog waits, to <see cref="IntentRouter"/> otherwise, and to
/// <see cref="TicketTalk"/> for ticket news, handoffs and false alarms.
/// </summary>
public sealed class LinliBot(CommonPhrases phrases, IRecognizer recognizer, EmergencyGuard guard,
    DialogManager dialogs, InDialog inDialog, IntentRouter router, TicketTalk talk, TicketService tickets,
    HandoffService handoffs, IConversationReferenceStore references, IConfiguration configuration) : IBot
{
    private const string EmulatorChannel = "emulator";

    public async Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        await FollowLanguageAsync(turn, cancellationToken);
        var locale = activity.Locale;

        if (activity.IsType(ActivityTypes.ConversationUpdate))
        {
            // Welcome each person who joins, not the bot itself.
            if (activity.MembersAdded?.Any(m => m.Id != activity.Recipient?.Id) == true)
                await turn.SendActivityAsync(phrases.Welcome.For(locale), phrases.MenuButtons(locale),
                    cancellationToken);
            return;
        }
        if (activity.IsType(ActivityTypes.Event))
        {
            if (activity.Name == TicketChanged.EventName) await talk.OnTicketChangedAsync(turn, cancellationToken);
            else if (activity.Name == HandoffService.HandedBack) await talk.OnHandedBackAsync(turn, cancellationToken);
            return;
        }
        if (!activity.IsType(ActivityTypes.Message)) return;
        var text = activity.Text?.Trim() ?? "";
        var (channel, user) = (activity.ChannelId ?? "", activity.From?.Id ?? "");

        // A person has this conversation: what the resident says goes to them, and the bot keeps quiet, unless there
        // is danger: the emergency guard still hears every message, and pages as it would anywhere else.
        if (handoffs.For(channel, user) is { } handoff)
        {
            var photo = activity.Attachments is { Count: > 0 } ? "[photo]" : "";
            handoffs.ResidentSaid(handoff, text.Length > 0 ? text : photo);
            if (text.Length > 0 && await IsEmergencyAsync(text, locale, cancellationToken))
                await talk.RaiseEmergencyDuringHandoffAsync(turn, cancellationToken);
            return;
        }

        if (IsFalseAlarm(text) && tickets.RecentEmergency(channel, user) is { } raised)
        {
            await talk.StandDownAsync(turn, raised, cancellationToken);
            return;
        }

        var recognized = text.Length > 0 ? await RecognizeAsync(text, locale, cancellationToken) : null;
        var tracing = activity.ChannelId == EmulatorChannel || configuration.GetValue<bool>("Bot:Trace");
        if (recognized is not null && tracing)
            await SendTraceAsync(turn, recognized, cancellationToken);
        var intent = recognized?.Intent.Name ?? Intents.None;

        if (dialogs.IsActive(turn) && dialogs.HasExpired(turn))
        {
            dialogs.CancelAll(turn);
            await turn.SendActivityAsync(phrases.Expired.For(locale), cancellationToken: cancellationToken);
        }

        if (dialogs.IsActive(turn))
            await inDialog.ContinueAsync(turn, recognized, intent, cancellationToken);
        else
            await router.RouteAsync(turn, recognized, intent, cancellationToken);
    }

    private async Task<bool> IsEmergencyAsync(string text, string? locale, CancellationToken cancellationToken) =>
        (await recognizer.RecognizeAsync(text, locale, cancellationToken)).Intent.Name == Intents.Emergency;

    private async Task<RecognizerResult> RecognizeAsync(string text, string? locale,
        CancellationToken cancellationToken)
    {
        // A tapped menu button means exactly what it says; no need to guess.
        if (phrases.Menu.FirstOrDefault(m => m.Matches(text)) is { } item)
            return new RecognizerResult(text, new IntentScore(item.Id, 1), [new IntentScore(item.Id, 1)], []);
        return await recognizer.RecognizeAsync(text, locale, cancellationToken);
    }

    /// <summary>Replies follow the language the resident writes in, this turn and later ones (ticket news, a handoff).
    /// </summary>
    private async Task FollowLanguageAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var memory = turn.Memory();
        if (turn.Activity.IsType(ActivityTypes.Message))
        {
            var (language, clearly) = ReplyLanguage.Detect(turn.Activity.Text);
            if (language is not null && language != memory.Language && (clearly || memory.Language is null))
            {
                turn.Remember(m => m with { Language = language });
                turn.Activity.Locale = language;
                // Messages sent later, outside a turn, read the locale of the conversation's reference.
                await references.SaveAsync(turn.Activity.GetConversationReference(), cancellationToken);
                return;
            }
        }
        if (memory.Language is { } remembered) turn.Activity.Locale = remembered;
    }

    /// <summary>
    /// "不是紧急情况" (the button) and nothing else: "门锁坏了，不紧急" is a repair, "不是误报" the
    /// opposite.
    /// </summary>
    private bool IsFalseAlarm(string text) =>
        phrases.FalseAlarmWords.Contains(PromptParser.Clean(text), StringComparer.OrdinalIgnoreCase)
        && !guard.Check(text).IsEmergency;

    /// <summary>As Bot Builder's recognizers do: the Emulator shows what was understood.</summary>
    private static Task SendTraceAsync(TurnContext turn, RecognizerResult recognized,
        CancellationToken cancellationToken)
    {
        var trace = turn.Activity.CreateReply();
        trace.Type = ActivityTypes.Trace;
        trace.Name = "LinliRecognizer";
        trace.Label = "Recognizer result";
        trace.ValueType = "https://www.botframework.com/schemas/recognizerResult";
        trace.Value = JsonSerializer.SerializeToElement(new
        {
            text = recognized.Text,
            intents = recognized.Ranking.Take(5).ToDictionary(r => r.Name, r => new { score = r.Confidence }),
            topIntent = recognized.Intent.Name,
            entities = recognized.Entities,
            danger = recognized.Danger,
        }, ActivityJson.Options);
        return turn.SendActivityAsync(trace, cancellationToken);
    }

    public Task ApologizeAsync(TurnContext turn) =>
        turn.SendActivityAsync(phrases.Error.For(turn.Activity.Locale), phrases.MenuButtons(turn.Activity.Locale));
}
