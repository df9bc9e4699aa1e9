using Linli.Tests.Support;

namespace Linli.Tests.Bot;

/// <summary>
/// While a question waits, a short answer or a refusal is an answer to it, never a reason to switch to another task;
/// and an emergency wins over every question. One resident per case, one Linli for the class.
/// </summary>
public sealed class PromptAnswerTests(PromptAnswerTests.Host host) : IClassFixture<PromptAnswerTests.Host>
{
    public sealed class Host : IDisposable
    {
        public LinliAppFactory App { get; } = new();
        public void Dispose() => App.Dispose();
    }

    /// <summary>How to reach a question of each prompt kind, and what the bot asks there.</summary>
    private static readonly Dictionary<string, (string[] Lines, string Asks)> Prompts = new()
    {
        ["text"] = (["我要报修", "公共区域", "3栋大堂", "电路"], "请简单说说是什么情况"),
        ["choice"] = (["我要报修"], "是家里要修，还是公共区域？"),
        ["confirmation"] =
            (["我要报修", "公共区域", "3栋大堂", "电路", "大堂的灯不亮"], "对吗？"),
        ["confirm"] =
            (["投诉", "噪音", "3栋6楼", "楼上半夜吵", "对", "跳过"], "要申请调解吗？"),
        ["unit"] = (["我要报修", "家里"], "请告诉我房号"),
        ["period"] = (["查物业费", "某月账单"], "想查哪个月的？"),
        ["attachment"] =
            (["我要报修", "公共区域", "3栋大堂", "电路", "大堂的灯不亮", "对"], "拍几张照片"),
    };

    public static TheoryData<string, string> ShortAnswers()
    {
        var data = new TheoryData<string, string>();
        foreach (var prompt in Prompts.Keys)
            foreach (var answer in new[] { "没有", "不用了", "跳过", "没有照片", "no", "skip" })
                data.Add(prompt, answer);
        return data;
    }

    private async Task<ResidentChat> AtAsync(string prompt)
    {
        var chat = await ResidentChat.StartAsync(host.App);
        var (lines, asks) = Prompts[prompt];
        List<string> said = [];
        foreach (var line in lines) said = await chat.SayAsync(line);
        Assert.Contains(said, s => s.Contains(asks, StringComparison.Ordinal));
        return chat;
    }

    [Theory]
    [MemberData(nameof(ShortAnswers))]
    public async Task AShortAnswerAnswersTheQuestionAndNeverSwitchesTask(string prompt, string answer)
    {
        var chat = await AtAsync(prompt);
        var said = string.Join(" | ", await chat.SayAsync(answer));
        bool Says(string words) => said.Contains(words, StringComparison.Ordinal);

        Assert.DoesNotContain("要先去办", said);
        Assert.DoesNotContain("Switch to", said);
        Assert.DoesNotContain("请先保证安全", said);
        switch (prompt)
        {
            case "attachment":
                // Nothing to send is an answer where a photo may be skipped.
                Assert.Contains("好的", said);
                break;
            case "confirm" when answer is "没有" or "不用了" or "no":
                Assert.Contains("先不调解", said);
                break;
            case "text":
                // Any words describe the problem and are said back; "不用了" may also set the request aside.
                Assert.True(Says("对吗？") || Says("已取消"), said);
                break;
            default:
                // Otherwise the same question again (or, for "不用了", the request set aside): never another task.
                var askedAgainOrSetAside = Says(Prompts[prompt].Asks) || Says("已取消") || Says("没找到")
                                          || Says("要改哪一项");
                Assert.True(askedAgainOrSetAside, said);
                break;
        }
    }

    [Theory]
    [InlineData("text")]
    [InlineData("choice")]
    [InlineData("confirmation")]
    [InlineData("confirm")]
    [InlineData("unit")]
    [InlineData("period")]
    [InlineData("attachment")]
    public async Task AnEmergencyWinsOverEveryQuestion(string prompt)
    {
        var chat = await AtAsync(prompt);
        var said = await chat.SayAsync("好大的烟，好像着火了，快来人");

        Assert.Contains("请先保证安全", said[0]);
        Assert.Contains("在哪里", said[^1]);
        Assert.Contains("值班人员正在赶往", (await chat.SayAsync("5栋3楼")).Single());
    }

    [Fact]
    public async Task AnotherTaskSaidInWordsOfItsOwnIsOfferedNotForced()
    {
        var chat = await AtAsync("unit");
        var said = await chat.SayAsync("我想查一下这个月的物业费");
        Assert.Contains("要先去办", Assert.Single(said));
        Assert.Contains("请告诉我房号", (await chat.SayAsync("否")).Single());
    }
}
