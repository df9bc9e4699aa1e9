using Linli.Bot.Understanding;

namespace Linli.Understanding;

/// <summary>Precision, recall and F1 per intent, macro-F1 and the confusion table, over labelled utterances.</summary>
public sealed record IntentEvaluation(
    IReadOnlyDictionary<string, (double Precision, double Recall, double F1, int Support)> PerIntent,
    double MacroF1,
    double Accuracy,
    IReadOnlyDictionary<(string Expected, string Predicted), int> Confusion)
{
    public static IntentEvaluation Of(IReadOnlyList<(string Expected, string Predicted)> outcomes)
    {
        var intents = outcomes.SelectMany(o => new[] { o.Expected, o.Predicted }).Distinct().Order().ToList();
        var perIntent = new Dictionary<string, (double, double, double, int)>();
        foreach (var intent in intents)
        {
            var tp = outcomes.Count(o => o.Expected == intent && o.Predicted == intent);
            var fp = outcomes.Count(o => o.Expected != intent && o.Predicted == intent);
            var fn = outcomes.Count(o => o.Expected == intent && o.Predicted != intent);
            var precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
            var recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perIntent[intent] = (precision, recall, f1, tp + fn);
        }
        var supported = perIntent.Where(p => p.Value.Item4 > 0).ToList();
        var confusion = outcomes.GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
        return new IntentEvaluation(perIntent, supported.Average(p => p.Value.Item3),
            (double)outcomes.Count(o => o.Expected == o.Predicted) / outcomes.Count, confusion);
    }

    /// <summary>
    /// The confidence threshold below which "none" is answered, chosen by k-fold cross-validation on the
    /// training examples only (the held-out split is never looked at).
    /// </summary>
    public static double CalibrateThreshold(
        IReadOnlyList<LabelledUtterance> examples, ChineseWords words, int folds = 5, int seed = 1)
    {
        var outOfFold = new List<(string Expected, IReadOnlyList<IntentScore> Ranking)>();
        var shuffled = examples.Select((e, i) => (e, fold: i % folds)).ToList();
        for (var fold = 0; fold < folds; fold++)
        {
            var training = shuffled.Where(x => x.fold != fold).Select(x => x.e).ToList();
            var model = IntentClassifier.Train(training, threshold: 0, words, seed);
            outOfFold.AddRange(shuffled.Where(x => x.fold == fold).Select(x => (x.e.Intent, model.Rank(x.e.Text))));
        }
        var best = (Threshold: 0d, F1: -1d);
        for (var t = 0.05; t < 0.9; t += 0.025)
        {
            var decided = outOfFold.Select(o => (o.Expected, IntentClassifier.Decide(o.Ranking, t).Name)).ToList();
            var f1 = Of(decided).MacroF1;
            if (f1 > best.F1 + 1e-9) best = (Math.Round(t, 3), f1);
        }
        return best.Threshold;
    }
}
