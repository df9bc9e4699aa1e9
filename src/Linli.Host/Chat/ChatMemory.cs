using Linli.Bot.Turns;

namespace Linli.Chat;

/// <summary>What the bot remembers of a conversation outside its dialogs.</summary>
public sealed record ChatMemory
{
    public const string StateName = "chat";

    /// <summary>The language the resident writes in; replies follow it.</summary>
    public string? Language { get; init; }
    /// <summary>Messages in a row the bot did not understand; the second offers a person.</summary>
    public int Misunderstood { get; init; }
    /// <summary>Two services the bot asked between, and the message that could have meant either.</summary>
    public List<string>? Choosing { get; init; }
    public string? ChoosingText { get; init; }
}

/// <summary>Reading and changing the chat's memory in a turn's conversation state.</summary>
internal static class ChatMemoryTurn
{
    public static ChatMemory Memory(this TurnContext turn) =>
        turn.GetState<ChatMemory>(ChatMemory.StateName) ?? new ChatMemory();

    /// <summary>Written back only when it changed, so a turn that changes nothing saves nothing.</summary>
    public static void Remember(this TurnContext turn, Func<ChatMemory, ChatMemory> change)
    {
        var before = turn.Memory();
        var after = change(before);
        if (after != before) turn.SetState(ChatMemory.StateName, after);
    }
}
