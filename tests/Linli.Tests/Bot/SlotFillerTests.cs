using Linli.Bot.Dialogs;

namespace Linli.Tests.Bot;

/// <summary>A choice found in the words a resident used: titles and the step's words, the longest winning.</summary>
public sealed class SlotFillerTests
{
    private static readonly StepDefinition Kind = new()
    {
        Id = "kind",
        Prompt = "choice",
        Choices =
        [
            new ChoiceDefinition { ["id"] = "water", ["zh-CN"] = "水管", ["en"] = "Water pipes" },
            new ChoiceDefinition { ["id"] = "drainage", ["zh-CN"] = "下水道", ["en"] = "Drains" },
            new ChoiceDefinition { ["id"] = "power", ["zh-CN"] = "电", ["en"] = "Power", ["entity"] = "outage" },
        ],
        Words = new()
        {
            ["water"] = ["马桶", "漏水", "leak"],
            ["drainage"] = ["马桶堵", "堵了"],
        },
    };

    [Theory]
    [InlineData("马桶堵住了", "drainage", "马桶堵")]
    [InlineData("马桶漏水", "water", "马桶")]
    [InlineData("家里下水道返水", "drainage", "下水道")]
    [InlineData("the drains again", "drainage", "Drains")]
    [InlineData("There is a leak", "water", "leak")]
    [InlineData("不漏水了，是堵了", "drainage", "堵了")]
    public void TheLongestWordOrTitleSaidAndNotDeniedPicksTheChoice(string text, string choice, string word)
    {
        var found = SlotFiller.ByWords(Kind, text);

        Assert.Equal(new FilledSlot(choice, word), found);
    }

    [Theory]
    [InlineData("停电了")] // a one-character title is too short to be read as meant
    [InlineData("不漏水")]
    [InlineData("it is not leak")]
    [InlineData("leaking")] // English words are whole words
    [InlineData("outage")] // the entity's name is not a title
    public void NothingIsPickedFromWordsThatDoNotSayIt(string text) =>
        Assert.Null(SlotFiller.ByWords(Kind, text));
}
