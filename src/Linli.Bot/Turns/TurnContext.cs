using System.Text.Json;
using System.Text.Json.Nodes;
using Linli.Bot.Schema;

namespace Linli.Bot.Turns;

/// <summary>
/// One incoming activity and what the bot may do about it: reply, and read or change the conversation's state.
/// </summary>
public sealed class TurnContext(Activity activity, IActivitySender sender, JsonObject state)
{
    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);
    private readonly List<Activity> _sent = [];

    public Activity Activity { get; } = activity;

    /// <summary>True once the bot has sent anything in this turn.</summary>
    public bool Responded => _sent.Count > 0;

    public IReadOnlyList<Activity> SentActivities => _sent;

    internal JsonObject State { get; } = state;

    internal bool StateChanged { get; private set; }

    internal void MarkStateChanged() => StateChanged = true;

    /// <summary>A typed slot of this conversation's state, or null when it was never set.</summary>
    public T? GetState<T>(string name) where T : class =>
        State[name] is { } node ? node.Deserialize<T>(StateJson) : null;

    public void SetState<T>(string name, T? value) where T : class
    {
        State[name] = value is null ? null : JsonSerializer.SerializeToNode(value, StateJson);
        StateChanged = true;
    }

    /// <summary>
    /// Sends an activity into this conversation; what it leaves empty is filled in as a reply to the incoming one.
    /// </summary>
    public async Task<string?> SendActivityAsync(Activity activity, CancellationToken cancellationToken = default)
    {
        var reply = Activity.CreateReply();
        activity.Type ??= reply.Type;
        activity.ChannelId ??= reply.ChannelId;
        activity.ServiceUrl ??= reply.ServiceUrl;
        activity.Conversation ??= reply.Conversation;
        activity.From ??= reply.From;
        activity.Recipient ??= reply.Recipient;
        activity.ReplyToId ??= reply.ReplyToId;
        activity.Locale ??= reply.Locale;
        _sent.Add(activity);
        var id = await sender.SendAsync(activity, cancellationToken);
        activity.Id ??= id;
        return id;
    }

    public Task<string?> SendActivityAsync(string text, IEnumerable<CardAction>? suggestions = null, CancellationToken cancellationToken = default)
    {
        var reply = Activity.CreateReply(text);
        if (suggestions?.ToList() is { Count: > 0 } actions)
        {
            reply.SuggestedActions = new SuggestedActions { Actions = actions };
            reply.InputHint = InputHints.ExpectingInput;
        }
        return SendActivityAsync(reply, cancellationToken);
    }
}
