using Linli.Bot.Schema;
using Microsoft.Extensions.Options;

namespace Linli.Channels.DirectLine;

/// <summary>
/// What the bot says into a Direct Line conversation: appended to the backlog and pushed to open streams.
/// Kept apart from <see cref="DirectLineChannel"/> so proactive senders need no turn runner.
/// </summary>
public sealed class DirectLineOutbound(IDirectLineStore store, DirectLineStreams streams,
    IOptions<DirectLineOptions> options)
{
    public const string ChannelId = "directline";

    public ChannelAccount Bot => new(options.Value.BotId, options.Value.BotName, "bot");

    public string SendFromBot(string conversationId, Activity activity)
    {
        activity.ChannelId = ChannelId;
        activity.Conversation = new ConversationAccount(conversationId);
        activity.From ??= Bot;
        activity.From.Role ??= "bot";
        var record = store.Append(conversationId, activity);
        streams.Publish(record);
        return record.Id;
    }
}
