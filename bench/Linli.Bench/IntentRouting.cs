using System.Diagnostics;
using Linli.Bot.Understanding;
using Linli.Understanding;

namespace Linli.Bench;

/// <summary>
/// Understanding, measured: macro-F1, per-intent precision/recall/F1 and the confusion table of the whole offline
/// router (emergency guard, then classifier) on sets never trained on; the guard's own emergency recall and precision;
/// the routing latency per utterance. Baseline for latency: normalising the same utterance (the least any router must
/// do), in the same run. <c>--blind</c> adds the blind set, to be measured once per change, never tuned against.
/// </summary>
public static class IntentRouting
{
    public static int Run(bool blind)
    {
        var data = Path.Combine(AppContext.BaseDirectory, "Understanding", "Data");
        var evaluation = Path.Combine(AppContext.BaseDirectory, "EvaluationData");
        var train = LocalRecognizer.Examples(data);

        var words = ChineseWords.FromAppFolder();
        var guard = EmergencyGuard.FromAppFolder();
        var clock = Stopwatch.StartNew();
        var calibrated = IntentEvaluation.CalibrateThreshold(train, words);
        var calibration = clock.Elapsed;
        // Measured as shipped: the threshold Linli runs with (Nlu:Threshold); the cross-validated one is advice.
        var threshold = new NluOptions().Threshold;
        clock.Restart();
        var classifier = IntentClassifier.Train(train, threshold, words);
        Console.WriteLine(
            $"trained on {train.Count} utterances (train.tsv and templates.yaml) in {clock.ElapsedMilliseconds} ms; " +
            $"threshold {threshold:F3} as shipped " +
            $"(5-fold CV suggests {calibrated:F3}, in {calibration.TotalSeconds:F0} s)");
        var recognizer = new LocalRecognizer(classifier, guard, TimeProvider.System);

        var sets = new List<(string Name, string File)>
        {
            ("held-out (the project's own, small)", Path.Combine(data, "heldout.tsv")),
            ("development (tuned against: flatters)", Path.Combine(evaluation, "dev.tsv")),
        };
        if (blind)
        {
            sets.Add(("blind.tsv (measured blind once; looked at since)", Path.Combine(evaluation, "blind.tsv")));
            sets.Add(("blind2.tsv (measured blind once; looked at since)", Path.Combine(evaluation, "blind2.tsv")));
        }
        foreach (var (name, file) in sets)
            Report(name, LabelledUtterance.Load(file), recognizer, guard);

        var texts = sets.SelectMany(s => LabelledUtterance.Load(s.File)).Select(u => u.Text).ToArray();
        for (var i = 0; i < 3000; i++) recognizer.Recognize(texts[i % texts.Length]);   // warm-up
        var routing = Time(texts, t => recognizer.Recognize(t));
        var guarding = Time(texts, t => guard.Check(t));
        var baseline = Time(texts, t => IntentClassifier.Normalize(t));
        var (routingP50, baselineP50) = (P(routing, .5), P(baseline, .5));
        Console.WriteLine(
            $"routing latency (guard + classifier + entities): p50 {routingP50:F1} µs, " +
            $"p99 {P(routing, .99):F1} µs; " +
            $"guard alone p50 {P(guarding, .5):F1} µs, p99 {P(guarding, .99):F1} µs " +
            $"(baseline normalise only: p50 {baselineP50:F2} µs; routing ×{routingP50 / baselineP50:F0} at p50)");
        return 0;
    }

    private static void Report(
        string name, IReadOnlyList<LabelledUtterance> set, LocalRecognizer recognizer, EmergencyGuard guard)
    {
        var outcomes = set.Select(u => (u.Intent, recognizer.Recognize(u.Text).Intent.Name)).ToList();
        var eval = IntentEvaluation.Of(outcomes);
        Console.WriteLine();
        Console.WriteLine(
            $"== {name}: {set.Count} utterances, accuracy {eval.Accuracy:P1}, macro-F1 {eval.MacroF1:F3}");
        foreach (var (intent, m) in eval.PerIntent)
            Console.WriteLine($"  {intent,-18} P {m.Precision:F2} R {m.Recall:F2} F1 {m.F1:F2} n={m.Support}");
        var routed = eval.PerIntent.GetValueOrDefault(Intents.Emergency);
        // The guard alone, scored as a yes/no classifier of emergencies.
        static string YesNo(bool value) => value ? "yes" : "no";
        var guardOutcomes = set.Select(u =>
            (YesNo(u.Intent == Intents.Emergency), YesNo(guard.Check(u.Text).IsEmergency)));
        var alone = IntentEvaluation.Of(guardOutcomes.ToList()).PerIntent.GetValueOrDefault("yes");
        Console.WriteLine($"  emergencies: routed recall {routed.Recall:F3}, precision {routed.Precision:F3}; " +
                          $"the guard alone recall {alone.Recall:F3}, precision {alone.Precision:F3}");
        PrintConfusion(eval);
        Console.WriteLine("  misrouted (expected → predicted: text):");
        foreach (var (u, (_, predicted)) in set.Zip(outcomes).Where(x => x.First.Intent != x.Second.Name))
            Console.WriteLine($"    {u.Intent} → {predicted}: {u.Text}");
    }

    /// <summary>Rows: expected intent; columns: predicted, by the first three letters of each intent.</summary>
    private static void PrintConfusion(IntentEvaluation eval)
    {
        var intents = eval.PerIntent.Keys.ToList();
        Console.WriteLine("  confusion (rows expected, columns predicted):");
        Console.WriteLine(new string(' ', 20) + string.Concat(intents.Select(i => $"{i[..3],5}")));
        foreach (var expected in intents)
            Console.WriteLine($"  {expected,-18}" + string.Concat(intents.Select(p =>
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
