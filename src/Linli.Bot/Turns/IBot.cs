namespace Linli.Bot.Turns;

/// <summary>The bot: one call per incoming activity. It never knows which channel the activity came from.</summary>
public interface IBot
{
    Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken);
}
