namespace Linli.TeaTable;

public sealed class TeaTableOptions
{
    public const string SectionName = "TeaTable";
    /// <summary>Against floods: at most this many posts per person per minute, whatever the thread.</summary>
    public int MaxPostsPerMinute { get; set; } = 6;
    public int MaxPostLength { get; set; } = 5000;
    public int MaxTitleLength { get; set; } = 60;
    /// <summary>An author may correct a post for this long.</summary>
    public int EditMinutes { get; set; } = 15;
    public int PageSize { get; set; } = 50;
    /// <summary>Followers get at most one digest of new posts per this many minutes.</summary>
    public int DigestMinutes { get; set; } = 60;
    /// <summary>Owners who have not voted are reminded once, this many hours before the deadline.</summary>
    public int ReminderHoursBeforeDeadline { get; set; } = 24;
    public int TimerCheckSeconds { get; set; } = 30;
}
