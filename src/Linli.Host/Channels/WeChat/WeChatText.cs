using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Linli.Bot.Schema;

namespace Linli.Channels.WeChat;

/// <summary>A button offered as a number: replying "1" (or the title) is taken as tapping it.</summary>
public sealed record WeChatChoice(string Title, string Value);

/// <summary>
/// What the bot says, as WeChat text: messages joined, Markdown links as the <c>&lt;a href&gt;</c> links WeChat
/// shows, other Markdown dropped, and buttons (which WeChat text does not have) as a numbered list to reply with.
/// </summary>
public static partial class WeChatText
{
    /// <summary>WeChat refuses text longer than 2,048 bytes (UTF-8), passive or through the API.</summary>
    public const int MaxBytes = 2048;

    public static (string Text, IReadOnlyList<WeChatChoice> Choices) Render(IReadOnlyList<Activity> activities)
    {
        var parts = new List<string>();
        IReadOnlyList<WeChatChoice> choices = [];
        var messages = activities.Where(a => a.IsType(ActivityTypes.Message)).ToList();
        foreach (var activity in messages)
        {
            var text = Markdown(activity.Text ?? "");
            foreach (var attachment in activity.Attachments ?? [])
                if (attachment.ContentUrl is { Length: > 0 } url)
                    text += $"\n<a href=\"{url}\">{attachment.Name ?? url}</a>";
            var actions = activity.SuggestedActions?.Actions ?? [];
            foreach (var link in actions.Where(a => a.Type == ActionTypes.OpenUrl))
                text += $"\n<a href=\"{ValueOf(link)}\">{link.Title}</a>";
            // Only the last message's buttons stand (as in Web Chat, where the next message takes them away).
            var buttons = activity != messages[^1]
                ? []
                : actions.Where(a => a.Type != ActionTypes.OpenUrl && a.Title is { Length: > 0 }).ToList();
            choices = [.. buttons.Select(b => new WeChatChoice(b.Title!, ValueOf(b)))];
            if (choices.Count > 0) text = NoButtons(text) + "\n" + Numbered(choices, activity.Locale);
            if (text.Trim().Length > 0) parts.Add(text.Trim());
        }
        return (string.Join("\n\n", parts), choices);
    }

    /// <summary>The choice a reply names: its number, or its title as typed.</summary>
    public static string? Chosen(string reply, IReadOnlyList<WeChatChoice> choices)
    {
        var text = reply.Trim().TrimEnd('.', '。', '、');
        if (int.TryParse(text, out var n) && n >= 1 && n <= choices.Count) return choices[n - 1].Value;
        return choices.FirstOrDefault(c => string.Equals(c.Title, text, StringComparison.OrdinalIgnoreCase))?.Value;
    }

    /// <summary>Cuts text into pieces WeChat accepts, at line ends where it can.</summary>
    public static IEnumerable<string> Split(string text, int maxBytes = MaxBytes)
    {
        var piece = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            var candidate = piece.Length == 0 ? line : piece + "\n" + line;
            if (Encoding.UTF8.GetByteCount(candidate) <= maxBytes)
            {
                piece.Clear().Append(candidate);
                continue;
            }
            if (piece.Length > 0) yield return piece.ToString();
            piece.Clear();
            // A single line longer than a message: cut it by characters.
            var rest = line;
            while (Encoding.UTF8.GetByteCount(rest) > maxBytes)
            {
                var take = rest.Length;
                while (Encoding.UTF8.GetByteCount(rest.AsSpan(0, take)) > maxBytes) take = take * 9 / 10;
                if (char.IsHighSurrogate(rest[take - 1])) take--;
                yield return rest[..take];
                rest = rest[take..];
            }
            piece.Append(rest);
        }
        if (piece.Length > 0) yield return piece.ToString();
    }

    private static string Numbered(IReadOnlyList<WeChatChoice> choices, string? locale)
    {
        var english = locale?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true;
        return string.Join("\n",
            choices.Select((c, i) => english ? $"Reply {i + 1}: {c.Title}" : $"回复 {i + 1}：{c.Title}"));
    }

    /// <summary>Words written for buttons, said for numbers.</summary>
    private static string NoButtons(string text) => text
        .Replace("点下面的按钮", "回复下面的数字")
        .Replace("点下面按钮", "回复下面的数字")
        .Replace("点“", "回复“")
        .Replace("Tap “", "Reply “")
        .Replace("Tap a button below", "Reply with a number below")
        .Replace("tap a button below", "reply with a number below");

    private static string ValueOf(CardAction action) =>
        action.Value is { ValueKind: JsonValueKind.String } value ? value.GetString()! : action.Title ?? "";

    private static string Markdown(string text)
    {
        // A one-tap sign-in link for the web chat becomes web authorization: WeChat itself says who is opening it.
        text = SignInLink().Replace(text,
            m => $"{m.Groups["base"].Value}{WeChatOAuth.Start}?return={m.Groups["to"].Value}");
        text = MarkdownLink().Replace(text, m => $"<a href=\"{m.Groups[2].Value}\">{m.Groups[1].Value}</a>");
        return Emphasis().Replace(text, "$1");
    }

    [GeneratedRegex(@"\[([^\]]+)\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"(?<base>https?://[^\s""()<>]+?)?/auth/link\?t=[A-Za-z0-9_.\-]+&return=(?<to>[^\s""()<>]+)")]
    private static partial Regex SignInLink();

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex Emphasis();
}
