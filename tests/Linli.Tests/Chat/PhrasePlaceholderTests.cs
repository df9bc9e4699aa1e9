using Linli.Bot.Dialogs;
using Linli.Phrases;
using Linli.Tests.Support;

namespace Linli.Tests.Chat;

/// <summary>
/// The bot's shared sentences (dialogs/common.yaml) name their placeholders, and every one is a name its callers fill:
/// checked when Linli loads them, so a resident never reads "{number}".
/// </summary>
public sealed class PhrasePlaceholderTests : IDisposable
{
    private static readonly string Dialogs = Path.Combine(RepoPaths.Root, "dialogs");
    private readonly string _copy = Directory.CreateTempSubdirectory("linli-phrases-").FullName;

    public void Dispose() => Directory.Delete(_copy, recursive: true);

    [Fact]
    public void EveryShippedSentenceUsesExactlyTheNamesItsCallersFill()
    {
        var phrases = CommonPhrases.Load(Dialogs);

        Assert.Empty(phrases.PlaceholderErrors());
        Assert.Equal("单子 BX-1 已收到，正在安排，最迟 3/1 09:00 前会有人联系您。",
            phrases.TicketReceived.Format("zh-CN", ("number", "BX-1"), ("respond_by", "3/1 09:00")));
        Assert.Equal("Ticket BX-1 is received and being arranged; someone will contact you by 3/1 09:00.",
            phrases.TicketReceived.Format("en-US", ("number", "BX-1"), ("respond_by", "3/1 09:00")));
    }

    [Theory]
    [InlineData("单子 {number} 已收到，最迟 {due} 前", "TicketReceived (zh-CN) uses {number}, {due}")]
    [InlineData("单子 {0} 已收到，最迟 {1} 前", "TicketReceived (zh-CN) has a numbered placeholder")]
    [InlineData("单子 {number} 已收到", "TicketReceived (zh-CN) uses {number}, its callers fill")]
    public void LoadingRefusesASentenceWhosePlaceholdersItsCallersDoNotFill(string zh, string expected)
    {
        var yaml = File.ReadAllText(Path.Combine(Dialogs, "common.yaml"))
            .Replace("单子 {number} 已收到，正在安排，最迟 {respond_by} 前会有人联系您。", zh);
        File.WriteAllText(Path.Combine(_copy, "common.yaml"), yaml);

        var refused = Assert.Throws<InvalidDataException>(() => CommonPhrases.Load(_copy));

        Assert.Contains(expected, refused.Message);
    }

    [Fact]
    public void FormattingWithoutAValueTheSentenceNamesThrowsRatherThanShowIt()
    {
        var text = new LocalizedText { ["zh-CN"] = "单子 {number}：{state}", ["en"] = "Ticket {number}" };

        Assert.Equal("Ticket BX-2", text.Format("en", ("number", "BX-2"), ("state", "open")));
        Assert.Equal("单子 BX-2：处理中", text.Format(null, ("state", "处理中"), ("number", "BX-2")));
        var missing = Assert.Throws<FormatException>(() => text.Format("zh-CN", ("number", "BX-2")));
        Assert.Contains("{state}", missing.Message);
        // Braces that are no placeholder stay as written.
        Assert.Equal("{A} {} {1", new LocalizedText { ["zh-CN"] = "{A} {} {1" }.Format(null));
    }
}
