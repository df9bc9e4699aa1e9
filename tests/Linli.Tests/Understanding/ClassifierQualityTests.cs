using Linli.Understanding;

namespace Linli.Tests.Understanding;

/// <summary>
/// A floor under the router's quality on the development set, so a change to the data, the features or the guard that
/// makes routing worse fails here; and the evaluation sets kept out of training. The benchmark (bench: nlu) reports the
/// full numbers, the blind set's among them.
/// </summary>
public class ClassifierQualityTests
{
    private static readonly string Data = Path.Combine(AppContext.BaseDirectory, "Understanding", "Data");

    [Theory]
    [InlineData("heldout.tsv", 80)]
    [InlineData("../../TestData/dev.tsv", 600)]
    [InlineData("../../TestData/blind.tsv", 700)]
    [InlineData("../../TestData/blind2.tsv", 450)]
    public void EvaluationSetsAreNeverTrainedOn(string file, int atLeast)
    {
        var train = LocalRecognizer.Examples(Data).Select(u => IntentClassifier.Normalize(u.Text)).ToHashSet();
        var set = LabelledUtterance.Load(Path.Combine(Data, file));
        Assert.True(set.Count >= atLeast);
        Assert.DoesNotContain(set, u => train.Contains(IntentClassifier.Normalize(u.Text)));
    }

    [Fact]
    public void EveryIntentOfTheDesignHasExamples()
    {
        var intents = LabelledUtterance.Load(Path.Combine(Data, "train.tsv")).GroupBy(u => u.Intent)
            .ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Linli.Bot.Understanding.Intents.All.Order(), intents.Keys.Order());
        Assert.All(intents.Values, n => Assert.True(n >= 15));
    }

    [Fact]
    public void TheRouterStaysAboveItsFloorOnTheDevelopmentSet()
    {
        var classifier = LocalRecognizer.TrainFrom(Microsoft.Extensions.Options.Options.Create(new NluOptions()));
        var recognizer = new LocalRecognizer(classifier, EmergencyGuard.FromAppFolder(), TimeProvider.System);
        var dev = LabelledUtterance.Load(Path.Combine(Data, "../../TestData/dev.tsv"));
        var evaluation =
            IntentEvaluation.Of(dev.Select(u => (u.Intent, recognizer.Recognize(u.Text).Intent.Name)).ToList());
        var emergency = evaluation.PerIntent["emergency"];

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"development macro-F1 {evaluation.MacroF1:F3}, " +
            $"emergency recall {emergency.Recall:F3}, precision {emergency.Precision:F3}");
        Assert.True(evaluation.MacroF1 >= 0.95, $"macro-F1 {evaluation.MacroF1:F3} fell below 0.95");
        Assert.Equal(1.0, emergency.Recall);
        Assert.True(emergency.Precision >= 0.95, $"emergency precision {emergency.Precision:F3}");
    }
}
