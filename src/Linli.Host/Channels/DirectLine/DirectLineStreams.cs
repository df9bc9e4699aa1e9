using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Linli.Channels.DirectLine;

/// <summary>
/// Live fan-out of new backlog entries to the WebSocket streams open on each conversation (this process only;
/// several instances would put a backplane here).
/// </summary>
public sealed class DirectLineStreams
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<DirectLineActivityRecord>, byte>> _streams = new();

    public Subscription Subscribe(string conversationId)
    {
        var channel = Channel.CreateUnbounded<DirectLineActivityRecord>(new UnboundedChannelOptions { SingleReader = true });
        _streams.GetOrAdd(conversationId, _ => new()).TryAdd(channel, 0);
        return new Subscription(this, conversationId, channel);
    }

    public void Publish(DirectLineActivityRecord record)
    {
        if (!_streams.TryGetValue(record.ConversationId, out var subscribers)) return;
        foreach (var channel in subscribers.Keys) channel.Writer.TryWrite(record);
    }

    public sealed class Subscription(DirectLineStreams owner, string conversationId, Channel<DirectLineActivityRecord> channel) : IDisposable
    {
        public ChannelReader<DirectLineActivityRecord> Reader => channel.Reader;

        public void Dispose()
        {
            if (owner._streams.TryGetValue(conversationId, out var subscribers)) subscribers.TryRemove(channel, out _);
            channel.Writer.TryComplete();
        }
    }
}
