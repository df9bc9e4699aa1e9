using System.Text.Json.Nodes;
using Linli.Bot.Dialogs;
using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Bot.Understanding;
using Linli.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.Dialogs;

/// <summary>The engine on its own: no host, no storage, no classifier.</summary>
public class DialogManagerTests
{
    /// <summary>The engine's own words as Linli ships them (dialogs/common.yaml); none are written in C#.</summary>
    private static readonly DialogPhrases Engine =
        Linli.Phrases.CommonPhrases.Load(Path.Combine(RepoPaths.Root, "dialogs")).Engine;

    private sealed class Sent : IActivitySender
    {
        public List<Activity> Activities { get; } = [];
        public Task<string?> SendAsync(Activity activity, CancellationToken ct) { Activities.Add(activity); return Task.FromResult<string?>(null); }
    }

    private sealed class Recorder : IDialogHandler
    {
        public string Name => "record";
        public List<IReadOnlyDictionary<string, string>> Completed { get; } = [];
        public Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion, CancellationToken ct)
        {
            Completed.Add(completion.Values);
            return Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { ["number"] = "T-1" });
        }
    }

    private static LocalizedText Text(string zh) => new() { ["zh-CN"] = zh, ["en"] = zh };

    private static DialogDefinition Survey() => new()
    {
        Id = "survey", Intent = "survey", Handler = "record", Done = Text("完成 {number} {size}"),
        Steps =
        [
            new StepDefinition { Id = "kind", Prompt = "choice", Ask = Text("哪种？"), Choices = [new() { ["id"] = "big", ["zh-CN"] = "大", ["en"] = "Big" }, new() { ["id"] = "small", ["zh-CN"] = "小", ["en"] = "Small" }] },
            new StepDefinition { Id = "size", Prompt = "number", Ask = Text("多大？"), Retry = Text("要数字。"), When = new() { ["kind"] = "big" } },
            new StepDefinition { Id = "photo", Prompt = "attachment", Ask = Text("照片？"), Optional = true },
            new StepDefinition { Id = "ok", Prompt = "confirm", Ask = Text("确认？") },
        ],
    };

    private readonly Recorder _recorder = new();
    private readonly JsonObject _state = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private DialogManager Manager() => new(new Dictionary<string, DialogDefinition> { ["survey"] = Survey(), ["other"] = WithId("other") },
        [_recorder], [], Engine, new DialogOptions { MaxRetries = 1, IdleTimeout = TimeSpan.FromMinutes(5) }, _time);

    private static DialogDefinition WithId(string id) { var d = Survey(); d.Id = id; d.Intent = id; return d; }

    private TurnContext Turn(string text, Sent sent) => new(new Activity
    {
        Type = ActivityTypes.Message, Text = text, Id = "a", ChannelId = "test",
        From = new ChannelAccount("u"), Recipient = new ChannelAccount("bot"), Conversation = new ConversationAccount("c"),
    }, sent, _state);

    private async Task<List<string>> Say(DialogManager manager, string text)
    {
        var sent = new Sent();
        await manager.ContinueAsync(Turn(text, sent), null, CancellationToken.None);
        return sent.Activities.Select(a => a.Text ?? "").ToList();
    }

    [Fact]
    public async Task AsksInOrderSkipsWhatDoesNotApplyAndHandsTheAnswersToTheHandler()
    {
        var manager = Manager();
        var sent = new Sent();
        await manager.BeginAsync(Turn("开始", sent), "survey", null, CancellationToken.None);
        Assert.Equal("哪种？", sent.Activities.Single().Text);
        Assert.Equal(["大", "小"], sent.Activities.Single().SuggestedActions!.Actions.Select(a => a.Title));

        Assert.Equal(["多大？"], await Say(manager, "大"));
        Assert.Equal(["要数字。\n多大？"], await Say(manager, "很大"));
        Assert.Equal(["照片？"], await Say(manager, "12"));
        Assert.Equal(["确认？"], await Say(manager, "跳过"));
        Assert.Equal(["完成 T-1 12"], await Say(manager, "是"));

        var values = Assert.Single(_recorder.Completed);
        Assert.Equal(("big", "12", "", "yes"), (values["kind"], values["size"], values["photo"], values["ok"]));
        Assert.False(manager.IsActive(Turn("", new Sent())));
    }

    [Fact]
    public async Task AStepWhoseConditionFailsIsNotAsked()
    {
        var manager = Manager();
        await manager.BeginAsync(Turn("开始", new Sent()), "survey", null, CancellationToken.None);
        Assert.Equal(["照片？"], await Say(manager, "2"));   // choice by number: "小"
    }

    [Fact]
    public async Task TooManyBadAnswersEndTheDialogAndOfferAPerson()
    {
        var manager = Manager();
        await manager.BeginAsync(Turn("开始", new Sent()), "survey", null, CancellationToken.None);
        await Say(manager, "中");
        var sent = new Sent();
        var status = await manager.ContinueAsync(Turn("中", sent), null, CancellationToken.None);

        Assert.Equal(DialogTurnStatus.Cancelled, status);
        Assert.Equal("转人工", sent.Activities.Single().SuggestedActions!.Actions.Single().Title);
        Assert.Empty(_recorder.Completed);
    }

    [Fact]
    public async Task ReplaceSwapsTheActiveDialogAndIdleDialogsExpire()
    {
        var manager = Manager();
        await manager.BeginAsync(Turn("开始", new Sent()), "survey", null, CancellationToken.None);
        await manager.ReplaceAsync(Turn("换", new Sent()), "other", null, CancellationToken.None);
        var stack = manager.Stack(Turn("", new Sent()));
        Assert.Equal("other", Assert.Single(stack.Frames).DialogId);

        Assert.False(manager.HasExpired(Turn("", new Sent())));
        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.True(manager.HasExpired(Turn("", new Sent())));
    }

    [Fact]
    public async Task EntitiesInTheOpeningMessageAnswerTheirSteps()
    {
        var dialog = new DialogDefinition
        {
            Id = "fee", Intent = "fee", Handler = "record", Done = Text("好 {period}"),
            Steps = [new StepDefinition { Id = "period", Prompt = "period", Ask = Text("哪个月？") }],
        };
        var manager = new DialogManager(new Dictionary<string, DialogDefinition> { ["fee"] = dialog }, [_recorder], [],
            Engine, new DialogOptions(), _time);
        var sent = new Sent();
        var recognized = new RecognizerResult("上个月", new IntentScore("fee", 1), [], [new EntityValue("period", "2026-10", 0, 3)]);

        await manager.BeginAsync(Turn("上个月物业费", sent), "fee", recognized, CancellationToken.None);

        Assert.Equal("好 2026-10", sent.Activities.Single().Text);
    }
}
