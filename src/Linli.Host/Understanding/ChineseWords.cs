using JiebaNet.Segmenter;

namespace Linli.Understanding;

/// <summary>
/// Splits Chinese into words with jieba ("楼道里堆着煤气罐" → "楼道 里 堆 着 煤气罐"); other scripts
/// pass through.
/// </summary>
public sealed class ChineseWords
{
    private readonly JiebaSegmenter _segmenter;

    public ChineseWords(string resourceFolder)
    {
        // jieba reads its dictionary from one process-wide folder.
        ConfigManager.ConfigFileBaseDir = resourceFolder;
        _segmenter = new JiebaSegmenter();
    }

    public static ChineseWords FromAppFolder() => new(Path.Combine(AppContext.BaseDirectory, "jieba"));

    public string Segment(string text) =>
        string.Join(' ', _segmenter.Cut(text).Where(w => !string.IsNullOrWhiteSpace(w)));
}
