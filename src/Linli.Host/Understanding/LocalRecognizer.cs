using System.Collections.Concurrent;
using Linli.Bot.Understanding;
using Linli.Calendar;
using Microsoft.Extensions.Options;

namespace Linli.Understanding;

/// <summary>
/// The offline recognizer: the emergency guard first, then the trained classifier for the intent, rules for the
/// entities. Needs no model service.
/// </summary>
public sealed class LocalRecognizer(IntentClassifier classifier, EmergencyGuard guard, TimeProvider time) : IRecognizer
{
    /// <summary>
    /// How sure the classifier must be to call an emergency the guard did not hear. Its own emergencies are a safety
    /// net for words the guard has never seen; below this, "作业太多了，救命" would page the duty officer.
    /// </summary>
    public const double ClassifierEmergencyConfidence = 0.8;

    public Task<RecognizerResult> RecognizeAsync(string text, string? locale, CancellationToken cancellationToken) =>
        Task.FromResult(Recognize(text));

    public RecognizerResult Recognize(string text)
    {
        var danger = guard.Check(text);
        var ranking = classifier.Rank(text);
        var entities = Entities.Extract(text, Period.Current(time))
            .Select(e => new EntityValue(e.Entity, e.Value, e.Start, e.End)).ToList();
        if (danger.IsEmergency)
            ranking = [new IntentScore(Intents.Emergency, 1), .. ranking.Where(r => r.Name != Intents.Emergency)];
        var decided = Decide(danger, ranking, classifier.Threshold);
        return new RecognizerResult(text, decided, ranking, entities) { Danger = danger.Category };
    }

    /// <summary>
    /// The guard's word on danger wins both ways: what it hears is an emergency, whatever the classifier thought; what
    /// it holds back (a drill, a question, a story) is not, and neither is an unsure classifier's guess.
    /// </summary>
    public static IntentScore Decide(DangerVerdict danger, IReadOnlyList<IntentScore> ranking, double threshold)
    {
        if (danger.IsEmergency) return new IntentScore(Intents.Emergency, 1);
        var decided = IntentClassifier.Decide(ranking, threshold);
        // The classifier's emergency alone is not believed when the guard held it back or the classifier is unsure.
        var doubted = danger.HeldBackBy is not null || decided.Confidence < ClassifierEmergencyConfidence;
        if (decided.Name == Intents.Emergency && doubted)
            return IntentClassifier.Decide(ranking.Where(r => r.Name != Intents.Emergency).ToList(), threshold);
        return decided;
    }

    // Training takes seconds (a cached model loads in well under one); tests start many apps in one process, so each
    // data folder is loaded once.
    private static readonly ConcurrentDictionary<(string, double), Lazy<IntentClassifier>> Trained = new();

    public static IntentClassifier TrainFrom(IOptions<NluOptions> options)
    {
        var folder = Path.GetFullPath(options.Value.DataFolder, AppContext.BaseDirectory);
        return Trained.GetOrAdd((folder, options.Value.Threshold), key => new Lazy<IntentClassifier>(() =>
            IntentClassifier.LoadOrTrain(Examples(key.Item1), key.Item2, ChineseWords.FromAppFolder(),
                Path.Combine(key.Item1, "cache")))).Value;
    }

    /// <summary>
    /// What the classifier learns from: the written examples (train.tsv) and the sentences the templates make.
    /// </summary>
    public static IReadOnlyList<LabelledUtterance> Examples(string folder)
    {
        var templates = Path.Combine(folder, "templates.yaml");
        return
        [
            .. LabelledUtterance.Load(Path.Combine(folder, "train.tsv")),
            .. File.Exists(templates) ? TrainingTemplates.Load(templates).Expand() : [],
        ];
    }
}
