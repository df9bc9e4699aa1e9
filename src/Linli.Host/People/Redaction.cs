using System.Text.RegularExpressions;

namespace Linli.People;

/// <summary>What must not be kept or shown as a resident wrote it (transcripts, a model's drafts).</summary>
public static partial class Redaction
{
    /// <summary>
    /// Mobile numbers masked as everywhere else; a lone 6-digit number (a one-time code) blanked; a sign-in link, which
    /// would sign its reader in as the resident, replaced by "[登录链接]".
    /// </summary>
    public static string Redact(string text)
    {
        var withoutLinks = SignInLink().Replace(text, "[登录链接]");
        var masked = Mobile().Replace(withoutLinks, m => PhoneMask.Mask(m.Value));
        return OneTimeCode().Replace(masked, "******");
    }

    /// <summary>A Markdown link to a sign-in link (its words dropped with it), or the bare address.</summary>
    [GeneratedRegex(@"\[[^\]]*\]\([^)\s]*/auth/link\?[^)\s]*\)|[^\s()\[\]]*/auth/link\?[^\s()]+")]
    private static partial Regex SignInLink();

    [GeneratedRegex(@"(?<!\d)1\d{10}(?!\d)")]
    private static partial Regex Mobile();

    [GeneratedRegex(@"(?<![\d.-])\d{6}(?![\d.])")]
    private static partial Regex OneTimeCode();
}
