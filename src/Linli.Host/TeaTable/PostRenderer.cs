using System.Text.RegularExpressions;
using Ganss.Xss;
using Markdig;

namespace Linli.TeaTable;

/// <summary>
/// Turns what a neighbour typed (Markdown or plain text) into HTML that is safe to show: Markdig renders it (raw HTML
/// is not passed through), then HtmlSanitizer keeps only plain formatting, http(s) links and images — no script, no
/// event handlers, no <c>javascript:</c> links, whatever the input.
/// </summary>
public static partial class PostRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml().UseAutoLinks().UseSoftlineBreakAsHardlineBreak().Build();

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(
                [
                    "p", "br", "strong", "em", "b", "i", "del", "s", "blockquote", "ul", "ol", "li", "code", "pre", "a",
                    "img", "h3", "h4", "hr",
                ],
                StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(["href", "src", "alt", "title"], StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href", "src"], StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
        });
        // Links open safely in a new tab and tell search engines nothing.
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { TagName: "A" } a)
            {
                a.SetAttribute("rel", "nofollow noopener noreferrer");
                a.SetAttribute("target", "_blank");
            }
        };
        return sanitizer;
    }

    public static string Render(string text) => Sanitizer.Sanitize(Markdown.ToHtml(text, Pipeline));

    /// <summary>The names written as @name in the text.</summary>
    public static IEnumerable<string> MentionedNames(string text) =>
        Mention().Matches(text).Select(m => m.Groups[1].Value).Distinct();

    [GeneratedRegex(@"@([\p{L}\p{N}_.]{2,20})")]
    private static partial Regex Mention();
}
