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
    public async Task WhereTheUserIsIsSavedWhenItChangesNotEveryTurn()
    {
        var references = new MemoryReferences();
        var runner = new TurnRunner(new CountingBot(), new MemoryStates(), references, NullLogger<TurnRunner>.Instance);

        await runner.RunAsync(Message("a"), new ListSender(), CancellationToken.None);
        await runner.RunAsync(Message("b"), new ListSender(), CancellationToken.None);   // the same place
        Assert.Single(references.Saved);

        var moved = Message("c");
        moved.Locale = "en-US";   // the same user, now in English
        await runner.RunAsync(moved, new ListSender(), CancellationToken.None);
        Assert.Equal([null, "en-US"], references.Saved.Select(r => r.Locale));
        Assert.Equal(moved.Id, references.Saved[^1].ActivityId);
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

    [Fact]
    public async Task RunOnceRunsAnIdOnceInItsConversationAndForgetsTheOldestIds()
    {
        var states = new MemoryStates();
        var runner = new TurnRunner(new CountingBot(), states, new MemoryReferences(), NullLogger<TurnRunner>.Instance);
        var sender = new ListSender();
        var first = Message("a");

        Assert.NotNull(await runner.RunOnceAsync(first, sender, CancellationToken.None));
        Assert.Null(await runner.RunOnceAsync(Again(first), sender, CancellationToken.None));
        // Another conversation may use the same id.
        var elsewhere = Again(first, "c2");
        Assert.NotNull(await runner.RunOnceAsync(elsewhere, sender, CancellationToken.None));
        Assert.Equal(["turn 1", "turn 1"], sender.Sent.Select(a => a.Text));

        // The latest ids are kept, the oldest let go: the state does not grow.
        for (var i = 0; i < TurnRunner.RememberedIds; i++)
            await runner.RunOnceAsync(Message("b"), sender, CancellationToken.None);
        var kept = JsonNode.Parse(states.Saved["test|c1"])![TurnRunner.IdsStateName]!.AsArray();
        Assert.Equal(TurnRunner.RememberedIds, kept.Count);
        Assert.NotNull(await runner.RunOnceAsync(Again(first), sender, CancellationToken.None));
    }

    [Fact]
    public async Task RunOnceRemembersAnIdOnlyWhenItsTurnSucceeded()
    {
        var states = new MemoryStates();
        var runner = new TurnRunner(new CountingBot(), states, new MemoryReferences(), NullLogger<TurnRunner>.Instance);
        var sender = new ListSender();
        var failing = Message("boom");

        await runner.RunOnceAsync(failing, sender, CancellationToken.None);
        Assert.Empty(states.Saved);
        // The channel's retry runs it again (here it fails again, and is still not remembered).
        Assert.NotNull(await runner.RunOnceAsync(Again(failing), sender, CancellationToken.None));

        // A turn that changes no state of its own still saves the id it ran.
        var quiet = new TurnRunner(new QuietBot(), states, new MemoryReferences(), NullLogger<TurnRunner>.Instance);
        var said = Message("hi");
        await quiet.RunOnceAsync(said, sender, CancellationToken.None);
        Assert.Null(await quiet.RunOnceAsync(Again(said), sender, CancellationToken.None));
    }

    private sealed class QuietBot : IBot
    {
        public Task OnTurnAsync(TurnContext turn, CancellationToken ct) =>
            turn.SendActivityAsync("ok", cancellationToken: ct);
    }

    [Fact]
    public async Task ATurnInsideAnotherTakesItsOwnConversationsClusterGateButNeverWaitsOnItsFlow()
    {
        var gates = new RecordingGate();
        var bot = new NestingBot();
        var runner = new TurnRunner(bot, new MemoryStates(), new MemoryReferences(), NullLogger<TurnRunner>.Instance,
            cluster: gates);
        bot.Runner = runner;
        // One conversation sharing x's local gate, one not.
        var shared = Enumerable.Range(0, 10_000).Select(i => $"y{i}")
            .First(y => TurnRunner.GateOf("test|" + y) == TurnRunner.GateOf("test|x"));
        var other = Enumerable.Range(0, 10_000).Select(i => $"z{i}")
            .First(z => TurnRunner.GateOf("test|" + z) != TurnRunner.GateOf("test|x"));
        bot.Nested = [shared, "x", other];

        var run = runner.RunAsync(Message("nest", "x"), new ListSender(), CancellationToken.None);
        await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // x's own turn inside x holds nothing twice; the others each enter their own.
        Assert.Equal(
            ["enter test|x", $"enter test|{shared}", $"leave test|{shared}", $"enter test|{other}",
                $"leave test|{other}", "leave test|x"],
            gates.Log);
        Assert.Equal(["x", shared, "x", other], bot.Ran);
    }

    /// <summary>The same activity delivered again (a channel's retry), in its conversation or another.</summary>
    private static Activity Again(Activity activity, string conversation = "c1")
    {
        var again = Message(activity.Text!, conversation);
        again.Id = activity.Id;
        return again;
    }

    private static Activity Message(string text, string conversation)
    {
        var message = Message(text);
        message.Conversation = new ConversationAccount(conversation);
        return message;
    }

    /// <summary>A bot whose turn runs turns of other conversations (a notice raised in a turn).</summary>
    private sealed class NestingBot : IBot
    {
        public TurnRunner Runner { get; set; } = null!;
        public string[] Nested { get; set; } = [];
        public List<string> Ran { get; } = [];

        public async Task OnTurnAsync(TurnContext turn, CancellationToken ct)
        {
            Ran.Add(turn.Activity.Conversation!.Id!);
            if (turn.Activity.Text != "nest") return;
            foreach (var conversation in Nested)
                await Runner.RunAsync(Message("notice", conversation), new ListSender(), ct);
        }
    }

    private sealed class RecordingGate : ITurnGate
    {
        public List<string> Log { get; } = [];

        public ValueTask<IAsyncDisposable> EnterAsync(string conversationKey, CancellationToken cancellationToken)
        {
            Log.Add("enter " + conversationKey);
            return ValueTask.FromResult<IAsyncDisposable>(new Leave(() => Log.Add("leave " + conversationKey)));
        }

        private sealed class Leave(Action left) : IAsyncDisposable
        {
            public ValueTask DisposeAsync()
            {
                left();
                return ValueTask.CompletedTask;
            }
        }
    }
}
