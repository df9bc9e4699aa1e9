using Stopwatch = System.Diagnostics.Stopwatch;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Linli.Bot.Schema;
using Microsoft.Extensions.Logging;

namespace Linli.Bot.Turns;

/// <summary>
/// The one door from every channel into the bot: loads the conversation's state, remembers where the
/// user is, runs the bot, saves the state. A failing bot never takes the channel down with it.
/// </summary>
public sealed class TurnRunner(
    IBot bot,
    IConversationStateStore states,
    IConversationReferenceStore references,
    ILogger<TurnRunner> logger,
    ITranscriptLogger? transcripts = null,
    ITurnGate? cluster = null)
{
    /// <summary>Called when the bot throws, to tell the user something went wrong.</summary>
    public Func<TurnContext, Exception, Task>? OnTurnError { get; set; }

    /// <summary>
    /// Turns of one conversation run one at a time (a staff hand-back and the resident's message may come together;
    /// each loads and saves the same state). Conversations share a fixed set of gates by hash, so nothing grows.
    /// </summary>
    private static readonly SemaphoreSlim[] Gates = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>
    /// What the turns running in this flow hold: a turn begun inside another (a notice raised in a turn) never waits
    /// on a gate its own flow holds, yet still takes its own conversation's gate among the instances.
    /// </summary>
    private static readonly AsyncLocal<Held?> Holding = new();

    private sealed record Held(int Gate, string Conversation, Held? Outer)
    {
        public bool Has(Func<Held, bool> test) => test(this) || (Outer?.Has(test) ?? false);
    }

    internal static int GateOf(string conversationKey) =>
        (int)((uint)StringComparer.Ordinal.GetHashCode(conversationKey) % Gates.Length);

    /// <summary>The bot's measurements ("Linli.Bot"): turns run, by channel and outcome, and how long each took.</summary>
    public const string MeterName = "Linli.Bot";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Turns = Meter.CreateCounter<long>("linli.turns", "{turn}", "Turns run");
    private static readonly Histogram<double> TurnDuration = Meter.CreateHistogram<double>(
        "linli.turn.duration", "s", "From an activity's arrival to its state saved",
        advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        });

    /// <summary>How many of a conversation's latest activity ids <see cref="RunOnceAsync"/> remembers.</summary>
    public const int RememberedIds = 16;

    /// <summary>The state slot where <see cref="RunOnceAsync"/> keeps them.</summary>
    public const string IdsStateName = "turn.ids";

    public async Task<TurnContext> RunAsync(Activity activity, IActivitySender sender, CancellationToken cancellationToken)
        => (await RunAsync(activity, sender, once: false, cancellationToken))!;

    /// <summary>
    /// Runs the turn unless this conversation already ran an activity with the same id (a channel retrying a
    /// delivery, as the Bot Connector does when an answer is slow): then it runs nothing and returns null. The ids are
    /// kept in the conversation's state and saved with the turn, so a turn that fails is not remembered (its retry runs
    /// again) and a retry waiting for the first delivery's turn sees it once that turn ends.
    /// </summary>
    public Task<TurnContext?> RunOnceAsync(
        Activity activity, IActivitySender sender, CancellationToken cancellationToken) =>
        RunAsync(activity, sender, once: !string.IsNullOrEmpty(activity.Id), cancellationToken);

    private async Task<TurnContext?> RunAsync(
        Activity activity, IActivitySender sender, bool once, CancellationToken cancellationToken)
    {
        var key = $"{activity.ChannelId}|{activity.Conversation?.Id}";
        var outer = Holding.Value;
        // The same conversation inside its own turn: everything is already held.
        if (outer?.Has(h => h.Conversation == key) == true)
            return await RunInOrderAsync(activity, sender, once, cancellationToken);
        var gate = GateOf(key);
        // Another conversation sharing a gate this flow holds: held already (no other flow can run it meanwhile).
        var here = outer?.Has(h => h.Gate == gate) == true ? null : Gates[gate];
        if (here is not null) await here.WaitAsync(cancellationToken);
        try
        {
            Holding.Value = new Held(gate, key, outer);
            // Then the conversation's own gate among the instances, when there are several.
            await using var elsewhere = cluster is null ? null : await cluster.EnterAsync(key, cancellationToken);
            return await RunInOrderAsync(activity, sender, once, cancellationToken);
        }
        finally
        {
            here?.Release();
        }
    }

    private async Task<TurnContext?> RunInOrderAsync(
        Activity activity, IActivitySender sender, bool once, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "canceled";
        try
        {
            var (turn, failed) = await RunMeasuredAsync(activity, sender, once, cancellationToken);
            outcome = turn is null ? "repeated" : failed ? "failed" : "ok";
            return turn;
        }
        finally
        {
            var channel = new KeyValuePair<string, object?>("channel", activity.ChannelId);
            Turns.Add(1, channel, new("outcome", outcome));
            TurnDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, channel);
        }
    }

    private async Task<(TurnContext? Turn, bool Failed)> RunMeasuredAsync(
        Activity activity, IActivitySender sender, bool once, CancellationToken cancellationToken)
    {
        var channelId = activity.ChannelId ?? "";
        var conversationId = activity.Conversation?.Id ?? "";
        var state = await states.LoadAsync(channelId, conversationId, cancellationToken) ?? new JsonObject();
        if (once && !Remember(state, activity.Id!)) return (null, false);
        if (activity.From?.Id is { Length: > 0 } && activity.From.Role != "bot" &&
            !activity.IsType(ActivityTypes.ConversationUpdate) &&
            ToSave(activity.GetConversationReference()) is var (reference, slot, saved))
        {
            // Before the bot runs: what it starts (a ticket's news) may look for where the user is.
            await references.SaveAsync(reference, cancellationToken);
            Volatile.Write(ref _saved[slot], saved);
        }

        // The transcript and the state are kept at the turn's end, together: a store that commits writes together
        // (LiteDB's) commits them in one go, and the turn's lines are one write.
        var keeping = new Keeping(this, cancellationToken);
        if (transcripts is not null)
        {
            keeping.Line(activity);
            sender = new LoggingSender(sender, keeping);
        }
        var turn = new TurnContext(activity, sender, state);
        if (once) turn.MarkStateChanged();
        try
        {
            return await RunBotAsync(turn, keeping, cancellationToken);
        }
        finally
        {
            await keeping.AllAsync();
        }
    }

    private async Task<(TurnContext Turn, bool Failed)> RunBotAsync(
        TurnContext turn, Keeping keeping, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        var (channelId, conversationId) = (activity.ChannelId ?? "", activity.Conversation?.Id ?? "");

        try
        {
            await bot.OnTurnAsync(turn, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The bot failed on {Type} activity {Id} in {Channel} conversation {Conversation}",
                activity.Type, activity.Id, channelId, conversationId);
            if (OnTurnError is not null) await OnTurnError(turn, ex);
            return (turn, true);
        }

        if (turn.StateChanged)
            keeping.Add(states.SaveAsync(channelId, conversationId, turn.State, cancellationToken));
        return (turn, false);
    }

    /// <summary>Adds <paramref name="id"/> to the ids kept in <paramref name="state"/>; false if it is there.</summary>
    private static bool Remember(JsonObject state, string id)
    {
        if (state[IdsStateName] is not JsonArray ids) state[IdsStateName] = ids = [];
        foreach (var seen in ids)
            if (Names(seen, id)) return false;
        ids.Add(id);
        while (ids.Count > RememberedIds) ids.RemoveAt(0);
        return true;
    }

    /// <summary>Whether <paramref name="seen"/> is the string <paramref name="id"/>, read without copying it.</summary>
    private static bool Names(JsonNode? seen, string id) => seen switch
    {
        JsonValue v when v.TryGetValue(out JsonElement e) => e.ValueKind == JsonValueKind.String && e.ValueEquals(id),
        JsonValue v => v.TryGetValue(out string? s) && s == id,
        _ => false,
    };

    /// <summary>
    /// What a turn keeps: its messages, in the order they were said, logged together when it ends (consoles are told
    /// them in that order), and its state.
    /// </summary>
    private sealed class Keeping(TurnRunner runner, CancellationToken cancellationToken)
    {
        private readonly List<Task> _writes = [];
        private readonly List<Activity> _lines = [];

        public void Line(Activity activity)
        {
            if (!activity.IsType(ActivityTypes.Message)) return;
            lock (_lines) _lines.Add(activity);
        }

        public void Add(Task write)
        {
            lock (_writes) _writes.Add(write);
        }

        public Task AllAsync()
        {
            lock (_lines)
                if (_lines.Count > 0)
                    Add(runner.LogAsync([.. _lines], cancellationToken));
            lock (_writes) return Task.WhenAll(_writes);
        }
    }

    /// <summary>
    /// Where each user was last saved, by hash (a fixed number of slots: nothing grows; a slot another user took means
    /// one more save). A reference the same as the one saved less than a minute ago is not saved again: a turn costs
    /// one write fewer, and its "last saved" (the WeChat reply window) is at most a minute old.
    /// </summary>
    private readonly SavedReference?[] _saved = new SavedReference?[4096];

    private sealed record SavedReference(string Json, long At);

    /// <summary>The reference, and what to remember once it is saved; null when it was saved just now.</summary>
    private (ConversationReference, int, SavedReference)? ToSave(ConversationReference reference)
    {
        // The activity id is every turn's own, and no proactive message uses it: compared without it.
        var activityId = reference.ActivityId;
        reference.ActivityId = null;
        var json = JsonSerializer.Serialize(reference, ActivityJson.Options);
        reference.ActivityId = activityId;
        var slot = (int)((uint)StringComparer.Ordinal.GetHashCode(json) % _saved.Length);
        var now = Stopwatch.GetTimestamp();
        return Volatile.Read(ref _saved[slot]) is { } saved && saved.Json == json &&
               Stopwatch.GetElapsedTime(saved.At, now) < TimeSpan.FromMinutes(1)
            ? null
            : (reference, slot, new SavedReference(json, now));
    }

    private async Task LogAsync(IReadOnlyList<Activity> lines, CancellationToken cancellationToken)
    {
        try { await transcripts!.LogActivitiesAsync(lines, cancellationToken); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not keep activities {Ids} in the transcript",
                string.Join(", ", lines.Select(a => a.Id)));
        }
    }

    /// <summary>Sends as the channel does, then keeps what was sent in the transcript.</summary>
    private sealed class LoggingSender(IActivitySender inner, Keeping keeping) : IActivitySender
    {
        public async Task<string?> SendAsync(Activity activity, CancellationToken cancellationToken)
        {
            var id = await inner.SendAsync(activity, cancellationToken);
            activity.Id ??= id;
            keeping.Line(activity);
            return id;
        }
    }
}
