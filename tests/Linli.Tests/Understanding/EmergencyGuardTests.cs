using Linli.Understanding;

namespace Linli.Tests.Understanding;

/// <summary>
/// The emergency guard against a table written blind from the labelling guide by someone else (Data/danger-table.tsv):
/// emergencies said in many ways, and as many sentences that use the same words without a danger now.
/// </summary>
public class EmergencyGuardTests
{
    private static readonly EmergencyGuard Guard = EmergencyGuard.FromAppFolder();

    private static readonly IReadOnlyList<(string Label, string Category, string Text)> Table =
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "danger-table.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t') is [var label, var category, var text]
                ? (label, category, text)
                : throw new InvalidDataException(l))
            .ToList();

    [Fact]
    public void EveryEmergencyOfTheTableIsDetected()
    {
        var emergencies = Table.Where(t => t.Label == "emergency").ToList();
        Assert.True(emergencies.Count >= 150);
        var missed = emergencies.Where(t => !Guard.Check(t.Text).IsEmergency).Select(t => t.Text).ToList();
        Assert.True(missed.Count == 0, "missed: " + string.Join(" | ", missed));
    }

    [Fact]
    public void SentencesWithTheSameWordsButNoDangerNowRarelyPage()
    {
        var calm = Table.Where(t => t.Label == "not").ToList();
        Assert.True(calm.Count >= 150);
        var paged = calm.Where(t => Guard.Check(t.Text).IsEmergency).Select(t => t.Text).ToList();
        var rate = (double)paged.Count / calm.Count;
        TestContext.Current.TestOutputHelper?.WriteLine($"false alarms: {paged.Count} of {calm.Count} ({rate:P1})");
        // The bar is precision ≥ 0.9; a false alarm costs the resident one tap, a missed one far more.
        Assert.True(rate <= 0.05, $"{rate:P1} false alarms: " + string.Join(" | ", paged));
    }

    [Fact]
    public void TheTableIsNeverTrainedOn()
    {
        var trainTsv = Path.Combine(AppContext.BaseDirectory, "Understanding", "Data", "train.tsv");
        var training = LabelledUtterance.Load(trainTsv)
            .Select(u => IntentClassifier.Normalize(u.Text)).ToHashSet();
        Assert.DoesNotContain(Table, t => training.Contains(IntentClassifier.Normalize(t.Text)));
    }

    [Theory]
    [InlineData("着火了", "fire")]
    [InlineData("厨房冒烟了快来人", "fire")]
    [InlineData("I smell gas in the stairwell", "gas")]
    [InlineData("電梯裡有人被困", "trapped")]
    [InlineData("我爸倒在卫生间叫不醒", "medical")]
    [InlineData("小孩爬到窗台外面了", "child")]
    [InlineData("水从吊灯里往下流", "water_electricity")]
    [InlineData("有人拿着刀在楼下追人", "violence")]
    [InlineData("救命", "other")]
    [InlineData("I can't stop the bleeding", "medical")]
    [InlineData("we can't put the fire out", "fire")]
    [InlineData("我爸左手抬不起来了，嘴也歪了", "medical")]
    public void PagesForDangerNow(string text, string category)
    {
        var verdict = Guard.Check(text);
        Assert.True(verdict.IsEmergency, text);
        Assert.Equal(category, verdict.Category);
    }

    [Theory]
    [InlineData("如果着火了怎么办")]
    [InlineData("上次着火后来谁赔的")]
    [InlineData("明天上午消防演练")]
    [InlineData("灭火器过期了")]
    [InlineData("今晚吃火锅")]
    [InlineData("楼道里有人抽烟")]
    [InlineData("电梯停了，里面没人")]
    [InlineData("没有着火，是烟雾报警器误报")]
    [InlineData("what should I do if I smell gas")]
    [InlineData("the fire door will not close")]
    [InlineData("作业太多了，救命")]
    [InlineData("楼上半夜很吵")]
    public void KeepsQuietWhenNothingIsHappeningNow(string text) =>
        Assert.False(Guard.Check(text).IsEmergency, text);

    [Fact]
    public void ALongMessageIsReadToItsEnd()
    {
        var chatter = string.Concat(Enumerable.Repeat("你好，我想问一下物业的事情。", 400));
        Assert.True(Guard.Check(chatter + "电梯卡住了，我在里面").IsEmergency);
    }

    [Fact]
    public void ReadsTraditionalCharactersAsSimplified() =>
        Assert.Equal("电梯里有人被困", EmergencyGuard.Normalize("電梯裡有人被困"));
}
