using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Channels.BotFramework;
using Linli.Channels.DirectLine;
using Linli.Channels.WeChat;

namespace Linli.Channels;

/// <summary>
/// Speaks into a stored conversation on whichever channel it lives: the Direct Line backlog here, WeChat's
/// customer-service API, or a Connector.
/// </summary>
public sealed class ProactiveMessenger(
    DirectLineOutbound directLine,
    WeChatOutbox wechat,
    ConnectorOutbox outbox,
    ITranscriptLogger transcripts) : IProactiveMessenger
{
    public async Task SendAsync(ConversationReference reference, Activity activity, CancellationToken cancellationToken)
    {
        var message = reference.CreateMessage();
        activity.Type ??= message.Type;
        activity.ChannelId = reference.ChannelId;
        activity.ServiceUrl = reference.ServiceUrl;
        activity.Conversation = reference.Conversation;
        activity.From ??= reference.Bot;
        activity.Recipient ??= reference.User;
        activity.Locale ??= reference.Locale;

        if (reference.ChannelId == DirectLineOutbound.ChannelId)
            directLine.SendFromBot(reference.Conversation!.Id!, activity);
        else if (reference.ChannelId == WeChatChannel.Id)
            wechat.Enqueue(reference.User!.Id!, [activity]);
        else
            outbox.Enqueue(activity, replyToId: null);
        await transcripts.LogActivityAsync(activity, cancellationToken);
    }
}
