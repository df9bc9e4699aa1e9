namespace Linli.Chat;

/// <summary>Small readings and shapings of what residents write, shared by the bot's parts.</summary>
internal static class ChatText
{
    public static bool Mentions(string text, IEnumerable<string> words) =>
        words.Any(w => text.Contains(w, StringComparison.OrdinalIgnoreCase));

    public static string Shorten(string text, int length = 40) => text.Length <= length ? text : text[..length] + "…";

    public static string Capitalized(string title) =>
        title.Length > 0 && char.IsAsciiLetterLower(title[0]) ? char.ToUpperInvariant(title[0]) + title[1..] : title;

    public static int ChineseCharacters(string text) => text.Count(c => c is >= '\u4e00' and <= '\u9fff');

    public static int EnglishWords(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(w => w.Any(char.IsAsciiLetter));
}
