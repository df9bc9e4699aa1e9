using System.Text;
using Linli.Bot.Schema;
using Linli.Channels.WeChat;

namespace Linli.Tests.Channels.WeChat;

/// <summary>
/// What the bot says, as WeChat text: buttons as numbers, links as WeChat links, never over 2,048 bytes.
/// </summary>
public sealed class WeChatTextTests
{
    private static Activity Say(string text, params string[] buttons) => new()
    {
        Type = ActivityTypes.Message, Text = text, Locale = "zh-CN",
        SuggestedActions = buttons.Length == 0 ? null : new SuggestedActions
        {
            Actions = [.. buttons.Select(b => CardAction.ImBack(b))],
        },
    };

    [Fact]
    public void MessagesJoinAndOnlyTheLastMessagesButtonsBecomeNumbers()
    {
        var (text, choices) = WeChatText.Render(
            [Say("收到。", "旧按钮"), Say("是家里要修，还是公共区域？", "家里", "公共区域")]);
        Assert.Equal(
            "收到。\n\n是家里要修，还是公共区域？\n回复 1：家里\n回复 2：公共区域", text);
        Assert.Equal(["家里", "公共区域"], choices.Select(c => c.Value));
    }

    [Fact]
    public void WordsWrittenForButtonsAreSaidForNumbers()
    {
        var (text, _) = WeChatText.Render([Say(
            "您好，我是邻里小助手。" +
            "请点下面的按钮，或者直接说您要办的事。",
            "查物业费")]);
        Assert.StartsWith(
            "您好，我是邻里小助手。" +
            "请回复下面的数字，或者直接说您要办的事。\n回复 1：查物业费",
            text);
        var (english, _) = WeChatText.Render([new Activity
        {
            Type = ActivityTypes.Message, Locale = "en", Text = "Tap a button below.",
            SuggestedActions = new SuggestedActions { Actions = [CardAction.ImBack("Fees")] },
        }]);
        Assert.Equal("Reply with a number below.\nReply 1: Fees", english);
    }

    [Theory]
    [InlineData("1", "家里")]
    [InlineData(" 2。", "公共区域")]
    [InlineData("公共区域", "公共区域")]
    [InlineData("3", null)]
    [InlineData("0", null)]
    [InlineData("厨房漏水", null)]
    public void ARepliedNumberOrTitleIsTheChoice(string reply, string? chosen)
    {
        IReadOnlyList<WeChatChoice> choices = [new("家里", "家里"), new("公共区域", "公共区域")];
        Assert.Equal(chosen, WeChatText.Chosen(reply, choices));
    }

    [Fact]
    public void MarkdownLinksBecomeWeChatLinksAndSignInLinksGoThroughWebAuthorization()
    {
        var (text, _) = WeChatText.Render([Say(
            "已发到 #3。[打开看看](https://linli.example.org/auth/link?t=eyJQIjoi.abc_d-e&return=%2Ftea%2F3) " +
            "**请注意**")]);
        Assert.Equal(
            "已发到 #3。<a href=\"https://linli.example.org/wechat/oauth?return=%2Ftea%2F3\">打开看看</a> " +
            "请注意", text);
    }

    [Fact]
    public void LongTextIsCutAtLineEndsIntoPiecesWeChatAccepts()
    {
        var line = new string('邻', 300);   // 900 bytes
        var text = string.Join("\n", Enumerable.Repeat(line, 5)) + "\n" + new string('里', 1500);
        var pieces = WeChatText.Split(text).ToList();
        Assert.All(pieces, p => Assert.InRange(Encoding.UTF8.GetByteCount(p), 1, WeChatText.MaxBytes));
        Assert.Equal(text.Replace("\n", ""), string.Concat(pieces.Select(p => p.Replace("\n", ""))));
        Assert.Equal(2 * 900 + 1, Encoding.UTF8.GetByteCount(pieces[0]));
    }
}
