using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Linli.Hosting;

namespace Linli.Channels.DirectLine;

/// <summary>
/// Live fan-out of new backlog entries to the WebSocket streams open on each conversation: those on this instance
/// at once, those on other instances through the cluster's signals (a reply made on one instance reaches a stream
/// opened on another).
/// </summary>
public sealed class DirectLineStreams : IDisposable
{
    private const string Topic = "directline";

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<DirectLineActivityRecord>, byte>>
        _streams = new();

    private readonly IClusterSignals _cluster;
    private readonly IDisposable _elsewhere;

    public DirectLineStreams(IClusterSignals cluster)
    {
        _cluster = cluster;
        _elsewhere = cluster.Subscribe(Topic, message =>
        {
            if (JsonSerializer.Deserialize<DirectLineActivityRecord>(message) is { } record) Deliver(record);
        });
    }

    public Subscription Subscribe(string conversationId)
    {
        var channel = Channel.CreateUnbounded<DirectLineActivityRecord>(new UnboundedChannelOptions { SingleReader = true });
        _streams.GetOrAdd(conversationId, _ => new()).TryAdd(channel, 0);
        return new Subscription(this, conversationId, channel);
    }

    public void Publish(DirectLineActivityRecord record)
    {
        Deliver(record);
        _cluster.Publish(Topic, JsonSerializer.Serialize(record));
    }

    private void Deliver(DirectLineActivityRecord record)
    {
        if (!_streams.TryGetValue(record.ConversationId, out var subscribers)) return;
        foreach (var channel in subscribers.Keys) channel.Writer.TryWrite(record);
    }

    public void Dispose() => _elsewhere.Dispose();

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
