using System.Collections.Concurrent;
using Linli.Bot.Understanding;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;

namespace Linli.Understanding;

/// <summary>
/// The offline intent classifier: ML.NET text featurization (character 1–3-grams, which suit Chinese without a
/// segmenter, plus word 1–2-grams for English) into a maximum-entropy model, trained at start-up from labelled
/// examples. Below <see cref="Threshold"/> the answer is <c>none</c>.
/// </summary>
public sealed class IntentClassifier
{
    public const string None = "none";

    private sealed class Example
    {
        public string Text { get; set; } = "";
        public string Words { get; set; } = "";
        public string Label { get; set; } = "";
    }

    private sealed class Prediction
    {
        public float[] Score { get; set; } = [];
    }

    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly string[] _labels;
    private readonly ConcurrentBag<PredictionEngine<Example, Prediction>> _engines = [];

    private readonly ChineseWords _words;

    private IntentClassifier(MLContext ml, ITransformer model, string[] labels, double threshold, ChineseWords words)
    {
        _words = words;
        _ml = ml;
        _model = model;
        _labels = labels;
        Threshold = threshold;
    }

    public double Threshold { get; }

    public static IntentClassifier Train(
        IReadOnlyList<LabelledUtterance> examples, double threshold, ChineseWords words, int seed = 1)
    {
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(examples.Select(e => Featurize(e.Text, words, e.Intent)));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            // Characters 1–3 catch Chinese without relying on segmentation, and typos; jieba's words (and
            // English words) add meaning that spans characters ("煤气罐", "fire door").
            .Append(ml.Transforms.Text.FeaturizeText("CharFeatures", new TextFeaturizingEstimator.Options
            {
                CaseMode = TextNormalizingEstimator.CaseMode.Lower,
                KeepPunctuations = false,
                KeepNumbers = true,
                CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = 3, UseAllLengths = true },
                WordFeatureExtractor = null,
                Norm = TextFeaturizingEstimator.NormFunction.L2,
            }, nameof(Example.Text)))
            .Append(ml.Transforms.Text.FeaturizeText("WordFeatures", new TextFeaturizingEstimator.Options
            {
                CaseMode = TextNormalizingEstimator.CaseMode.Lower,
                KeepPunctuations = false,
                KeepNumbers = true,
                CharFeatureExtractor = null,
                WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true },
                Norm = TextFeaturizingEstimator.NormFunction.L2,
            }, nameof(Example.Words)))
            .Append(ml.Transforms.Concatenate("Features", "CharFeatures", "WordFeatures"))
            // L-BFGS reads the examples once an iteration: featurized once and kept, not n-grammed again each time.
            .AppendCacheCheckpoint(ml)
            // A tolerance of 1e-4 reaches the same held-out F1 as 1e-7 in a third of the time (bench: nlu).
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(
                new LbfgsMaximumEntropyMulticlassTrainer.Options
                {
                    L2Regularization = 0.001f, L1Regularization = 0f, OptimizationTolerance = 1e-4f,
                    // One thread: the same examples give the same model on the same kind of processor. Another
                    // kind rounds differently (AVX-512, AVX2 or no vector instructions: 楼上漏水到我家了 was a
                    // complaint at 0.42, 0.55 and 0.61), so a sentence between two intents may go either way.
                    NumberOfThreads = 1,
                }));
        var model = pipeline.Fit(data);
        return new IntentClassifier(ml, model, Labels(model, data.Schema), threshold, words);
    }

    private static string[] Labels(ITransformer model, DataViewSchema input)
    {
        var slotNames = default(VBuffer<ReadOnlyMemory<char>>);
        model.GetOutputSchema(input)["Score"].GetSlotNames(ref slotNames);
        return slotNames.DenseValues().Select(v => v.ToString()).ToArray();
    }

    /// <summary>
    /// Bump when the features or the trainer change, so models cached by <see cref="LoadOrTrain"/> are not reused.
    /// </summary>
    private const int ModelVersion = 3;

    /// <summary>
    /// The classifier for these examples: loaded from <paramref name="cacheFolder"/> when a model of exactly these
    /// examples was trained before (training takes seconds; loading, a fraction of one), else trained and kept there.
    /// </summary>
    public static IntentClassifier LoadOrTrain(
        IReadOnlyList<LabelledUtterance> examples, double threshold, ChineseWords words, string cacheFolder)
    {
        var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            $"{ModelVersion}\n" + string.Join('\n', examples.Select(e => $"{e.Intent}\t{e.Text}")))))[..16];
        var path = Path.Combine(cacheFolder, $"intent-model-{key}.zip");
        var ml = new MLContext(1);
        if (File.Exists(path))
        {
            try
            {
                var loaded = ml.Model.Load(path, out var schema);
                return new IntentClassifier(ml, loaded, Labels(loaded, schema), threshold, words);
            }
            catch (Exception ex)
                when (ex is InvalidOperationException or FormatException or IOException or InvalidDataException)
            {
                // A model cut short (the process died while saving) is trained again.
            }
        }
        var trained = Train(examples, threshold, words);
        try
        {
            Directory.CreateDirectory(cacheFolder);
            // Written aside and moved into place, so another process never reads half a model.
            var temporary = path + $".{Environment.ProcessId}.tmp";
            var schema = ml.Data.LoadFromEnumerable(Array.Empty<Example>()).Schema;
            trained._ml.Model.Save(trained._model, schema, temporary);
            File.Move(temporary, path, overwrite: true);
        }
        catch (IOException)
        {
            // A read-only folder only costs the next start its training time.
        }
        catch (UnauthorizedAccessException)
        {
        }
        return trained;
    }

    private static Example Featurize(string text, ChineseWords words, string label = "")
    {
        var normalized = Normalize(text);
        return new Example { Text = normalized, Words = words.Segment(normalized), Label = label };
    }

    /// <summary>
    /// Every intent with its confidence, best first; the top one is <c>none</c> when it is not sure enough.
    /// </summary>
    public IReadOnlyList<IntentScore> Rank(string text)
    {
        if (!_engines.TryTake(out var engine)) engine = _ml.Model.CreatePredictionEngine<Example, Prediction>(_model);
        try
        {
            var scores = engine.Predict(Featurize(text, _words)).Score;
            var ranking = new IntentScore[_labels.Length];
            for (var i = 0; i < ranking.Length; i++) ranking[i] = new IntentScore(_labels[i], Math.Round(scores[i], 4));
            Array.Sort(ranking, (a, b) => b.Confidence.CompareTo(a.Confidence));
            return ranking;
        }
        finally
        {
            _engines.Add(engine);
        }
    }

    /// <summary>The chosen intent: the best one, or <c>none</c> below the threshold.</summary>
    public IntentScore Classify(string text) => Decide(Rank(text), Threshold);

    public static IntentScore Decide(IReadOnlyList<IntentScore> ranking, double threshold) =>
        ranking[0].Confidence >= threshold || ranking[0].Name == None
            ? ranking[0]
            : new IntentScore(None, Math.Round(1 - ranking[0].Confidence, 4));

    /// <summary>
    /// Full-width to half-width, traditional characters to simplified, trimmed: "ＨＥＬＬＯ" and "hello",
    /// "電燈壞了" and "电灯坏了" look the same to the model.
    /// </summary>
    public static string Normalize(string text) =>
        ChineseScript.ToSimplified(text.Normalize(System.Text.NormalizationForm.FormKC).Trim());
}
