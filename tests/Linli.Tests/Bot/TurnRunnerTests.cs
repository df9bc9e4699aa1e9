using System.Text.Json.Nodes;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Microsoft.Extensions.Logging.Abstractions;

namespace Linli.Tests.Bot;

public class TurnRunnerTests
{
    private sealed class MemoryStates : IConversationStateStore
    {
        public Dictionary<string, string> Saved { get; } = [];
        public Task<JsonObject?> LoadAsync(string channelId, string conversationId, CancellationToken ct) =>
            Task.FromResult(Saved.TryGetValue($"{channelId}|{conversationId}", out var json)
                ? JsonNode.Parse(json)!.AsObject()
                : null);
        public Task SaveAsync(string channelId, string conversationId, JsonObject state, CancellationToken ct)
        {
            Saved[$"{channelId}|{conversationId}"] = state.ToJsonString();
            return Task.CompletedTask;
        }
    }

    private sealed class MemoryReferences : IConversationReferenceStore
    {
        public List<ConversationReference> Saved { get; } = [];
        public Task SaveAsync(ConversationReference reference, CancellationToken ct)
        {
            Saved.Add(reference);
            return Task.CompletedTask;
        }

        public Task<ConversationReference?> FindAsync(string channelId, string userId, CancellationToken ct) =>
            Task.FromResult(Saved.LastOrDefault(r => r.ChannelId == channelId && r.User?.Id == userId));
        public Task<DateTimeOffset?> LastSavedAsync(string channelId, string userId, CancellationToken ct) =>
            Task.FromResult<DateTimeOffset?>(null);
    }

    private sealed class ListSender : IActivitySender
    {
        public List<Activity> Sent { get; } = [];
        public Task<string?> SendAsync(Activity activity, CancellationToken ct)
        {
            Sent.Add(activity);
            return Task.FromResult<string?>($"r{Sent.Count}");
        }
    }

    private sealed record Counter(int Turns);

    private sealed class CountingBot : IBot
    {
        public async Task OnTurnAsync(TurnContext turn, CancellationToken ct)
        {
            if (turn.Activity.Text == "boom") throw new InvalidOperationException("boom");
            var count = (turn.GetState<Counter>("counter")?.Turns ?? 0) + 1;
            turn.SetState("counter", new Counter(count));
            await turn.SendActivityAsync($"turn {count}", cancellationToken: ct);
        }
    }

    private static Activity Message(string text) => new()
    {
        Type = ActivityTypes.Message, Id = Guid.NewGuid().ToString(), ChannelId = "test", ServiceUrl = "http://x",
        From = new ChannelAccount("u1", role: "user"), Recipient = new ChannelAccount("bot", role: "bot"),
        Conversation = new ConversationAccount("c1"), Text = text,
    };

    [Fact]
    public async Task StateCarriesFromTurnToTurn()
    {
        var states = new MemoryStates();
        var runner = new TurnRunner(new CountingBot(), states, new MemoryReferences(), NullLogger<TurnRunner>.Instance);
        var sender = new ListSender();

        await runner.RunAsync(Message("a"), sender, CancellationToken.None);
        await runner.RunAsync(Message("b"), sender, CancellationToken.None);

        Assert.Equal(["turn 1", "turn 2"], sender.Sent.Select(a => a.Text));
        Assert.Equal("r2", sender.Sent[1].Id);
        var first = sender.Sent[0];
        Assert.Equal(("bot", "u1", "c1"), (first.From!.Id, first.Recipient!.Id, first.Conversation!.Id));
    }

    [Fact]
    public async Task RemembersWhereTheUserSpoke()
    {
        var references = new MemoryReferences();
        var runner = new TurnRunner(new CountingBot(), new MemoryStates(), references, NullLogger<TurnRunner>.Instance);
        await runner.RunAsync(Message("a"), new ListSender(), CancellationToken.None);

        var reference = await references.FindAsync("test", "u1", CancellationToken.None);
        Assert.Equal("c1", reference!.Conversation!.Id);
        Assert.Equal("bot", reference.Bot!.Id);
    }

    [Fact]
    public async Task AFailingBotApologisesAndKeepsNoHalfDoneState()
    {
        var states = new MemoryStates();
        var runner = new TurnRunner(new CountingBot(), states, new MemoryReferences(), NullLogger<TurnRunner>.Instance)
        {
            OnTurnError = (turn, _) => turn.SendActivityAsync("sorry"),
        };
        var sender = new ListSender();

        await runner.RunAsync(Message("boom"), sender, CancellationToken.None);

        Assert.Equal(["sorry"], sender.Sent.Select(a => a.Text));
        Assert.Empty(states.Saved);
    }
}
