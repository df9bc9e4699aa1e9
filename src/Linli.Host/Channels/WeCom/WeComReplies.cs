using System.Security.Claims;
using System.Text.RegularExpressions;
using Linli.Accounts;
using Linli.Channels.WeChat;
using Linli.People;
using Linli.StaffConsole;
using Linli.Tickets;

namespace Linli.Channels.WeCom;

/// <summary>
/// What staff write to the WeCom app. "#BX-20261115-0001 师傅下午三点到" goes to that ticket's resident as the
/// console's <c>POST /api/tickets/{number}/messages</c> sends it (<see cref="HandoffService.StaffSaysAsync"/>: into
/// their chat on its own channel, onto the ticket, audited), by the member whose WeCom userid it came from, if they
/// serve the ticket's community. The answer is a short text for the passive reply; null answers nothing.
/// </summary>
public sealed partial class WeComReplies(
    IPeopleStore people,
    IAccountStore accounts,
    IProcessedActivities processed,
    TicketService tickets,
    HandoffService handoffs,
    AuditTrail audit,
    TimeProvider time,
    ILogger<WeComReplies> logger)
{
    public const string ChannelId = "wecom";

    /// <summary>What the console takes in one message, and no more from WeCom.</summary>
    private const int MaxChars = 2000;

    public const string Sent = "已发给住户";
    public const string Stranger = "您好，这个应用供物业员工回复住户。您的企业微信账号还没有登记在邻里，请联系物业办公室。";
    public const string NotStaffHere = "您不在这个小区的员工名单里，不能回复单号 {0}。";
    public const string NoSuchTicket = "找不到单号 {0}，请核对后再发。";

    private static readonly string Usage = "请以单号开头，例如：\n#BX-20261115-0001 师傅下午三点到";

    public async Task<string?> ReceiveAsync(WeChatMessage message, CancellationToken cancellationToken)
    {
        // Entering the app, menu clicks, reports of location: nothing to answer.
        if (message.MsgType == "event") return null;
        var person = people.FindByWeComUserId(message.FromUserName);
        if (person is null)
        {
            logger.LogInformation("WeCom message from unregistered member {UserId} refused",
                WeChatChannel.Mask(message.FromUserName));
            return Stranger;
        }
        // WeCom resends what it got no answer to within five seconds: each message is acted on once.
        if (!await FirstTimeAsync(message)) return null;
        if (message.MsgType != "text" || TicketReply().Match(message.Content ?? "") is not { Success: true } reply)
            return Usage;

        var number = reply.Groups["number"].Value.ToUpperInvariant();
        var text = reply.Groups["text"].Value.Trim();
        if (tickets.Find(number) is not { } ticket) return string.Format(NoSuchTicket, number);
        if (Serving(person, ticket.CommunityId) is not { } account) return string.Format(NotStaffHere, number);
        if (text.Length == 0) return $"请在单号 {number} 后写上要对住户说的话。";
        if (text.Length > MaxChars) return $"一条最多 {MaxChars} 字，请分几条发。";

        if (!await handoffs.StaffSaysAsync(ticket, person.Name, text, cancellationToken))
            return $"单号 {number} 的住户现在联系不上（没有可用的会话），请电话联系。";
        audit.Record(Principal(person, account), "conversation.message", number, ChannelId);
        logger.LogInformation("{Person} answered ticket {Number} from WeCom", person.Id, number);
        return $"{Sent}（{number}）。";
    }

    /// <summary>
    /// The member's account in <paramref name="communityId"/>, when it is enabled and works the ticket queue:
    /// disabling an account in the office also stops its WeCom replies.
    /// </summary>
    private Account? Serving(Person person, string communityId) =>
        person.CommunityId != communityId ? null
        : accounts.OfPerson(communityId, person.Id).FirstOrDefault(a =>
            a.CommunityId == communityId && !a.Disabled && a.Roles.Any(LinliClaims.ServiceRoles.Contains));

    /// <summary>The member as the console's sign-in would make them, so the audit reads the same.</summary>
    private static ClaimsPrincipal Principal(Person person, Account account) => new(
        LinliClaims.Identity(person.Id, person.Name, account.CommunityId, account.Roles, null, ChannelId));

    private async Task<bool> FirstTimeAsync(WeChatMessage message)
    {
        var key = $"{ChannelId}|{message.FromUserName}|{message.DedupKey}";
        if (await processed.FirstTimeAsync(key, time.GetUtcNow())) return true;
        logger.LogDebug("WeCom message {Key} already handled", message.DedupKey);
        return false;
    }

    /// <summary>"#BX-20261115-0001 text", "＃bx-20261115-0001：text" or "BX-20261115-0001 text".</summary>
    [GeneratedRegex(@"^\s*[#＃]?\s*(?<number>[A-Za-z]{2}-\d{8}-\d{4})(?!\d)[\s:：,，]*(?<text>.*)$",
        RegexOptions.Singleline)]
    private static partial Regex TicketReply();
}
