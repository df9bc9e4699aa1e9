using System.Text.RegularExpressions;

namespace Linli.Chat;

/// <summary>
/// The language a message is written in, so the reply follows the resident whatever the page's locale: English words
/// → English; Chinese → Chinese (Chinese first when both weigh the same). A flat number ("3栋502") or a lone "ok"
/// says little: it settles the language only when none is known yet.
/// </summary>
public static partial class ReplyLanguage
{
    public const string Chinese = "zh-CN", English = "en";

    /// <returns>
    /// The language, and whether the message says so clearly; null when it says nothing either way (a number, a photo).
    /// </returns>
    public static (string? Language, bool Clearly) Detect(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, false);
        var rest = UnitLike().Replace(text, " ");
        var chinese = rest.Count(c => c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf');
        var english = Words().Matches(rest).Count;
        if (english > 0 && english > chinese) return (English, english >= 2);
        if (chinese > 0) return (Chinese, chinese >= 2);
        return (null, false);
    }

    [GeneratedRegex(@"[0-9A-Za-z]+\s*(?:号楼|號樓|栋|棟|幢|座|单元|單元|室|楼|樓|层|層)")]
    private static partial Regex UnitLike();

    /// <summary>English words, not the letters of a ticket number ("BX-20261127-0001") or a code.</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Za-z]{2,}(?![A-Za-z0-9]|-\d)")]
    private static partial Regex Words();
}
