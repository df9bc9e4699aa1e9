using System.Collections.Concurrent;
using Linli.Bot.Understanding;
using Linli.Fees;
using Microsoft.Extensions.Options;

namespace Linli.Understanding;

/// <summary>The offline recognizer: the trained classifier for the intent, rules for the entities. Needs no model service.</summary>
public sealed class LocalRecognizer(IntentClassifier classifier, TimeProvider time) : IRecognizer
{
    public Task<RecognizerResult> RecognizeAsync(string text, string? locale, CancellationToken cancellationToken) =>
        Task.FromResult(Recognize(text));

    public RecognizerResult Recognize(string text)
    {
        var ranking = classifier.Rank(text);
        var entities = Entities.Extract(text, Period.Current(time)).Select(e => new EntityValue(e.Entity, e.Value, e.Start, e.End)).ToList();
        return new RecognizerResult(text, IntentClassifier.Decide(ranking, classifier.Threshold), ranking, entities);
    }

    // Training takes about half a second; tests start many apps in one process, so each data folder is trained once.
    private static readonly ConcurrentDictionary<(string, double), Lazy<IntentClassifier>> Trained = new();

    public static IntentClassifier TrainFrom(IOptions<NluOptions> options)
    {
        var folder = Path.GetFullPath(options.Value.DataFolder, AppContext.BaseDirectory);
        return Trained.GetOrAdd((folder, options.Value.Threshold), key => new Lazy<IntentClassifier>(() =>
            IntentClassifier.Train(LabelledUtterance.Load(Path.Combine(key.Item1, "train.tsv")), key.Item2, ChineseWords.FromAppFolder()))).Value;
    }
}
