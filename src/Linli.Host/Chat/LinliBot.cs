using Linli.Bot.Schema;
using Linli.Bot.Turns;

namespace Linli.Chat;

/// <summary>
/// The resident-facing bot. For now it welcomes, shows the main menu and acknowledges what it hears;
/// the dialogs that do the work plug in behind the menu.
/// </summary>
public sealed class LinliBot(CommonPhrases phrases) : IBot
{
    public async Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        var locale = activity.Locale;

        if (activity.IsType(ActivityTypes.ConversationUpdate))
        {
            // Welcome each person who joins, not the bot itself.
            if (activity.MembersAdded?.Any(m => m.Id != activity.Recipient?.Id) == true)
                await turn.SendActivityAsync(phrases.Welcome.For(locale), Menu(locale), cancellationToken);
            return;
        }

        if (!activity.IsType(ActivityTypes.Message)) return;

        var text = activity.Text?.Trim() ?? "";
        if (phrases.Menu.FirstOrDefault(m => m.Matches(text)) is { } item)
            await turn.SendActivityAsync(phrases.ComingSoon.Format(locale, item.Title(locale)), Menu(locale), cancellationToken);
        else if (text.Length == 0 && activity.Attachments is { Count: > 0 } files)
            await turn.SendActivityAsync(phrases.AttachmentReceived.Format(locale, files.Count), Menu(locale), cancellationToken);
        else
            await turn.SendActivityAsync(phrases.Heard.Format(locale, Shorten(text)), Menu(locale), cancellationToken);
    }

    public Task ApologizeAsync(TurnContext turn) =>
        turn.SendActivityAsync(phrases.Error.For(turn.Activity.Locale), Menu(turn.Activity.Locale));

    private IEnumerable<CardAction> Menu(string? locale) => phrases.Menu.Select(m => CardAction.ImBack(m.Title(locale)));

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
