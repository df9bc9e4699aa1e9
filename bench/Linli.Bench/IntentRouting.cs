using System.Diagnostics;
using Linli.Bot.Understanding;
using Linli.Understanding;

namespace Linli.Bench;

/// <summary>
/// The offline classifier's quality on the held-out split (never trained on) and its routing latency per utterance.
/// Baseline for latency: normalising the same utterance (the least any router must do), in the same run.
/// </summary>
public static class IntentRouting
{
    public static int Run()
    {
        var data = Path.Combine(AppContext.BaseDirectory, "Understanding", "Data");
        var train = LabelledUtterance.Load(Path.Combine(data, "train.tsv"));
        var heldOut = LabelledUtterance.Load(Path.Combine(data, "heldout.tsv"));

        var words = ChineseWords.FromAppFolder();
        var clock = Stopwatch.StartNew();
        var threshold = IntentEvaluation.CalibrateThreshold(train, words);
        var calibrated = clock.Elapsed;
        clock.Restart();
        var classifier = IntentClassifier.Train(train, threshold, words);
        Console.WriteLine($"trained on {train.Count} utterances in {clock.ElapsedMilliseconds} ms; threshold {threshold:F3} calibrated by 5-fold CV in {calibrated.TotalMilliseconds:F0} ms");

        var outcomes = heldOut.Select(u => (u.Intent, classifier.Classify(u.Text).Name)).ToList();
        var eval = IntentEvaluation.Of(outcomes);
        Console.WriteLine($"held-out: {heldOut.Count} utterances, accuracy {eval.Accuracy:P1}, macro-F1 {eval.MacroF1:F3}");
        foreach (var (intent, m) in eval.PerIntent)
            Console.WriteLine($"  {intent,-18} P {m.Precision:F2} R {m.Recall:F2} F1 {m.F1:F2} n={m.Support}");
        PrintConfusion(eval);
        Console.WriteLine("misrouted (expected → predicted: text):");
        foreach (var (u, (_, predicted)) in heldOut.Zip(outcomes).Where(x => x.First.Intent != x.Second.Name))
            Console.WriteLine($"  {u.Intent} → {predicted}: {u.Text}");

        var texts = heldOut.Select(u => u.Text).ToArray();
        for (var i = 0; i < 2000; i++) classifier.Classify(texts[i % texts.Length]);   // warm-up
        var routing = Time(texts, t => classifier.Classify(t));
        var baseline = Time(texts, t => IntentClassifier.Normalize(t));
        Console.WriteLine($"routing latency: p50 {P(routing, .5):F1} µs, p99 {P(routing, .99):F1} µs " +
                          $"(baseline normalise only: p50 {P(baseline, .5):F2} µs, p99 {P(baseline, .99):F2} µs; ×{P(routing, .5) / P(baseline, .5):F0} at p50)");
        return 0;
    }

    /// <summary>Rows: expected intent; columns: predicted, by the first three letters of each intent.</summary>
    private static void PrintConfusion(IntentEvaluation eval)
    {
        var intents = eval.PerIntent.Keys.ToList();
        Console.WriteLine("confusion (rows expected, columns predicted):");
        Console.WriteLine(new string(' ', 18) + string.Concat(intents.Select(i => $"{i[..3],5}")));
        foreach (var expected in intents)
            Console.WriteLine($"{expected,-18}" + string.Concat(intents.Select(p =>
                eval.Confusion.TryGetValue((expected, p), out var n) ? $"{n,5}" : $"{".",5}")));
    }

    private static List<double> Time(string[] texts, Action<string> route)
    {
        var samples = new List<double>(20_000);
        for (var i = 0; i < 20_000; i++)
        {
            var start = Stopwatch.GetTimestamp();
            route(texts[i % texts.Length]);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        return samples;
    }

    private static double P(List<double> samples, double q)
    {
        var sorted = samples.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(q * sorted.Count) - 1)];
    }
}
