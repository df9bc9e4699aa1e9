using Linli.People;
using Linli.Tickets;
using Microsoft.Extensions.Options;

namespace Linli.Channels.WeCom;

/// <summary>
/// Pages as they were (the pager it wraps, the log in the demo), and also to the person's WeCom when the app is
/// set up and they have a userid. Called under the tickets' lock: it only queues, and a failure to queue is logged,
/// never thrown at the emergency that caused it.
/// </summary>
public sealed class WeComStaffPager(
    IStaffPager inner, WeComOutbox outbox, IOptions<WeComOptions> options, ILogger<WeComStaffPager> logger)
    : IStaffPager
{
    public void Page(Ticket ticket, Person person, string reason)
    {
        inner.Page(ticket, person, reason);
        WeComNotices.Queue(outbox, options.Value, logger, person, () => WeComNotices.Page(ticket, reason));
    }
}

/// <summary>A ticket given to someone reaches their WeCom as a short notice, with how to answer the resident.</summary>
public sealed class WeComStaffNotifier(
    IStaffNotifier inner, WeComOutbox outbox, IOptions<WeComOptions> options, ILogger<WeComStaffNotifier> logger)
    : IStaffNotifier
{
    public void Assigned(Ticket ticket, Person assignee)
    {
        inner.Assigned(ticket, assignee);
        WeComNotices.Queue(outbox, options.Value, logger, assignee, () => WeComNotices.Assignment(ticket));
    }
}

/// <summary>
/// The texts staff read on their phones: what happened, the ticket's number, where, and the one way to answer,
/// "回复 #单号 内容". Short, as a phone's notification shows two lines.
/// </summary>
public static class WeComNotices
{
    private const int MaxSummary = 60;

    public static string Page(Ticket ticket, string reason) => Compose(reason switch
    {
        "emergency" => "紧急求助",
        "hazard" => "紧急隐患",
        "respond_breached" => "超时未响应",
        "resolve_breached" => "超时未解决",
        _ => reason,
    }, ticket);

    public static string Assignment(Ticket ticket) => Compose("新派单", ticket);

    /// <summary>"回复 #BX-20261115-0001 内容": the line that tells staff how to answer the resident.</summary>
    public static string HowToAnswer(string number) => $"回复“#{number} 内容”，即发给住户。";

    internal static void Queue(WeComOutbox outbox, WeComOptions options, ILogger logger, Person person,
        Func<string> text)
    {
        if (!options.Enabled || person.WeComUserId is not { Length: > 0 } userId) return;
        try
        {
            outbox.Enqueue(userId, text());
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not queue a WeCom message for {Person}", person.Id);
        }
    }

    private static string Compose(string what, Ticket ticket)
    {
        var summary = (ticket.Text ?? "").ReplaceLineEndings(" ").Trim();
        if (summary.Length > MaxSummary) summary = summary[..(MaxSummary - 1)] + "…";
        var lines = new List<string>
        {
            $"【{what}】{ticket.Number}",
            $"地点：{(string.IsNullOrWhiteSpace(ticket.Location) ? "待住户告知" : ticket.Location)}",
        };
        if (summary.Length > 0) lines.Add($"内容：{summary}");
        lines.Add(HowToAnswer(ticket.Number));
        return string.Join("\n", lines);
    }
}
