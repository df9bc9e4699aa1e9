using Linli.Understanding;

namespace Linli.Tests.Understanding;

/// <summary>
/// A floor under the classifier's quality on the held-out split, so a change to the data or the features
/// that makes routing worse fails here. The benchmark (bench: nlu) reports the full numbers.
/// </summary>
public class ClassifierQualityTests
{
    private static readonly string Data = Path.Combine(AppContext.BaseDirectory, "Understanding", "Data");

    [Fact]
    public void TheHeldOutSplitIsNeverTrainedOn()
    {
        var train = LabelledUtterance.Load(Path.Combine(Data, "train.tsv")).Select(u => IntentClassifier.Normalize(u.Text)).ToHashSet();
        var heldOut = LabelledUtterance.Load(Path.Combine(Data, "heldout.tsv"));
        Assert.True(heldOut.Count >= 80);
        Assert.DoesNotContain(heldOut, u => train.Contains(IntentClassifier.Normalize(u.Text)));
    }

    [Fact]
    public void EveryIntentOfTheDesignHasExamples()
    {
        var intents = LabelledUtterance.Load(Path.Combine(Data, "train.tsv")).GroupBy(u => u.Intent).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Linli.Bot.Understanding.Intents.All.Order(), intents.Keys.Order());
        Assert.All(intents.Values, n => Assert.True(n >= 15));
    }

    [Fact]
    public void HeldOutMacroF1StaysAboveTheFloor()
    {
        var classifier = IntentClassifier.Train(LabelledUtterance.Load(Path.Combine(Data, "train.tsv")), new NluOptions().Threshold, ChineseWords.FromAppFolder());
        var heldOut = LabelledUtterance.Load(Path.Combine(Data, "heldout.tsv"));
        var evaluation = IntentEvaluation.Of(heldOut.Select(u => (u.Intent, classifier.Classify(u.Text).Name)).ToList());

        TestContext.Current.TestOutputHelper?.WriteLine($"held-out macro-F1 {evaluation.MacroF1:F3}, accuracy {evaluation.Accuracy:P1}");
        Assert.True(evaluation.MacroF1 >= 0.90, $"macro-F1 {evaluation.MacroF1:F3} fell below 0.90");
    }
}
