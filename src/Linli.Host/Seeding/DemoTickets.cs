using Linli.Calendar;
using Linli.Tickets;
using static Linli.Tickets.TicketStatus;

namespace Linli.Seeding;

/// <summary>
/// Two months of the estate's tickets in every state: repairs, complaints, hazards, emergencies with their 1-3-5
/// ladder (some open past their deadline), and the demo resident's own open repair and resolved one.
/// </summary>
internal static class DemoTickets
{
    /// <summary>How long after a deadline the service-level check would have marked the breach.</summary>
    private static readonly TimeSpan CheckLag = TimeSpan.FromSeconds(30);

    /// <summary>Seconds after the page: acknowledged, on the way, on site. Escalated: the first on duty missed it.
    /// </summary>
    private sealed record Ladder(bool Escalated, int Ack, int OnTheWay, int OnSite);

    /// <summary>One ticket's story: who reported what from which flat, where it got to, and with whom.</summary>
    private sealed record Job(string Kind, string Flat, string Text, TicketStatus Status, int DaysAgo, string? Staff,
        string? Place = null, string Urgency = "normal", string? Category = null, int? Rating = null,
        string? Comment = null, string? Done = null, string? Asked = null, Ladder? Ladder = null);

    private static readonly Job[] Jobs =
    [
        // The demo resident's own: a leak being fixed now, and a light fixed three weeks ago.
        new("repair_request", "3栋502", "厨房水槽下水管漏水，橱柜里都是水", InProgress, 1, "repair1",
            Category: "plumbing"),
        new("repair_request", "3栋502", "卫生间吸顶灯不亮，换了灯泡也不行", Resolved, 21, "repair2",
            Category: "electrical", Rating: 5, Comment: "师傅很细心，还帮忙检查了插座",
            Done: "更换灯座及镇流器"),
        new("repair_request", "1栋1202", "客厅天花板渗水，怀疑楼上卫生间漏水", Reopened, 12,
            "repair2", Category: "plumbing", Rating: 2, Comment: "下雨后又开始滴水，没修好",
            Done: "楼上卫生间地漏重新打胶"),
        new("repair_request", "2栋1504", "2栋2号电梯运行时有咔咔异响，坐着心慌", InProgress, 4,
            "repair1", Place: "2栋2号电梯", Category: "lift"),
        new("repair_request", "1栋1503", "马桶水箱一直流水，关不住", New, 1, null, Category: "plumbing"),
        new("repair_request", "2栋704", "地下车库B区一排照明灯不亮，晚上很暗", New, 2, null,
            Place: "地下车库B区", Category: "electrical"),
        new("repair_request", "6栋502", "阳台防盗窗生锈脱焊，有一根松了", WaitingOnResident, 3,
            "repair1", Category: "structure",
            Asked: "您好，明天上午9点左右上门查看，家里方便留人吗？"),
        new("repair_request", "5栋803", "入户门锁坏了，钥匙拧不动", Closed, 40, "repair2",
            Urgency: "urgent", Category: "door", Rating: 5, Comment: "半小时就到了，很及时",
            Done: "更换锁芯"),
        new("repair_request", "6栋1203", "阳台地漏堵塞，下雨倒灌进客厅", Closed, 33, "repair1",
            Category: "plumbing", Rating: 4, Done: "疏通地漏并加装防臭芯"),
        new("repair_request", "1栋704", "7楼楼道声控灯坏了，晚上摸黑", Resolved, 6, "repair2",
            Place: "1栋7楼楼道", Category: "electrical", Done: "更换声控灯两盏"),
        new("repair_request", "3栋1401", "厨房冷水阀门滴水", Closed, 55, "repair1", Category: "plumbing",
            Rating: 5, Done: "更换角阀"),
        new("repair_request", "5栋603", "空调冷凝水管脱落，水滴到楼下", Closed, 47, "repair2",
            Category: "other", Rating: 3, Comment: "修好了，但等了三天", Done: "重新固定冷凝水管"),
        new("repair_request", "1栋304", "单元门禁刷卡没反应，进不了门", Closed, 28, "repair1",
            Category: "door", Rating: 4, Done: "门禁读卡器重新接线"),
        new("repair_request", "6栋901", "卧室窗户合页断了，关不严", Closed, 18, "repair2",
            Category: "structure", Rating: 5, Done: "更换合页"),
        new("complaint", "2栋1101", "11楼消防通道堆了纸箱和旧家具，楼道堆物很久了", Resolved, 9,
            "service", Place: "2栋11楼楼道", Done: "已通知住户清理，楼道已清空"),
        new("complaint", "1栋803", "楼上装修噪音扰民，中午和晚上十点后还在打电钻", InProgress, 2,
            "service"),
        new("complaint", "5栋1102", "楼上空调外机滴水到我家窗台，噼里啪啦响一夜", Closed, 25,
            "service", Rating: 4, Done: "已与楼上业主沟通，加装接水管"),
        new("complaint", "1栋1204", "东门快递车乱停，消防通道被占，救护车进不来", InProgress, 5,
            "safety", Place: "东门消防通道"),
        new("complaint", "6栋1202", "楼顶有人违规搭建阳光房", Assigned, 6, "admin", Place: "6栋楼顶"),
        new("complaint", "3栋1303", "电梯里有狗便溺，没人清理", Closed, 38, "service", Rating: 3,
            Done: "电梯已消毒，张贴文明养犬提示"),
        new("complaint", "1栋1001", "晚上广场舞音响太吵，十点还没停", Closed, 50, "service", Rating: 2,
            Comment: "只安静了两天", Done: "与舞蹈队约定晚九点半前结束、音量减半"),
        new("hazard_report", "3栋1102", "外墙瓷砖松动，楼下是儿童游乐区", Resolved, 15, "safety",
            Place: "3栋北侧外墙", Urgency: "urgent", Done: "拉警戒线，高空作业清除松动瓷砖"),
        new("hazard_report", "5栋1001", "有人把电动车推进楼道飞线充电", Closed, 30, "safety",
            Place: "5栋一楼大堂", Rating: 5, Done: "电动车已移至充电棚，张贴禁止入户充电通知"),
        new("hazard_report", "6栋1001", "6栋消防栓箱门脱落，水带不见了", InProgress, 3, "safety",
            Place: "6栋10楼消防栓"),
        new("hazard_report", "1栋1104", "私家车长期占用1栋北侧消防通道", Closed, 20, "safety",
            Place: "1栋北侧消防通道", Urgency: "urgent", Rating: 4,
            Done: "联系车主挪车，通道已划禁停线"),
        new("emergency", "3栋903", "3栋1号电梯困人，里面有老人和小孩", Closed, 27, "manager",
            Place: "3栋1号电梯", Rating: 5, Done: "电梯公司到场放人，无人受伤", Ladder: new(false, 38,
            110, 260)),
        new("emergency", "2栋304", "地下车库水管爆裂，水漫到车位", Closed, 44, "service",
            Place: "地下车库B区", Rating: 4, Done: "关闭总阀，更换爆裂管段", Ladder: new(true, 75, 160,
            365)),
        new("emergency", "2栋1503", "楼道里很浓的煤气味", Resolved, 10, "manager", Place: "2栋15楼楼道",
            Done: "燃气公司到场，1504厨房软管老化，已关阀更换", Ladder: new(false, 25, 90, 230)),
        new("mediation", "3栋1203", "楼上3栋1303卫生间漏水到我家，协商不成，申请调解", Assigned,
            8, "mediator"),
        new("mediation", "6栋801", "我的车位被邻居长期占用，说了不听", Closed, 35, "mediator",
            Rating: 4, Done: "调解成功，双方签订协议"),
    ];

    public static List<Ticket> Make(DemoEstate estate, DateTimeOffset now, Random rng)
    {
        var today = DateOnly.FromDateTime(now.InChina().DateTime);
        var dated = Jobs.Select(job =>
        {
            // Never today: a ticket opened after seeding is the day's first, as in a fresh estate.
            var day = today.AddDays(-Math.Max(1, job.DaysAgo)).ToDateTime(new TimeOnly(rng.Next(7, 22), rng.Next(60)));
            return (Job: job, Created: new DateTimeOffset(day, ChinaTime.Offset).ToUniversalTime());
        }).OrderBy(j => j.Created).ToList();
        var perDay = new Dictionary<string, int>();
        return [.. dated.Select(j =>
        {
            var prefix = TicketService.NumberPrefix(j.Job.Kind, j.Created);
            perDay[prefix] = perDay.GetValueOrDefault(prefix) + 1;
            return Ticket(estate, j.Job, $"{prefix}{perDay[prefix]:D4}", j.Created, now, rng);
        })];
    }

    private static Ticket Ticket(DemoEstate estate, Job job, string number, DateTimeOffset created, DateTimeOffset now,
        Random rng)
    {
        var sla = new TicketOptions();
        var (target, hours) = (sla.For(job.Kind, job.Urgency), sla.HoursFor(job.Kind, job.Urgency));
        var reporter = estate.Resident(job.Flat);
        var staff = job.Staff is null ? null : estate.Staff(job.Staff);
        var history = new List<TicketEvent> { new(created, New, TicketService.ResidentActor, null) };
        var messages = new List<TicketMessage>();
        var at = created;
        // Each step some minutes after the last, never after the seeding itself.
        DateTimeOffset After(int minMinutes, int maxMinutes) =>
            at = Min(at.AddMinutes(rng.Next(minMinutes, maxMinutes)), now.AddMinutes(-10));
        void Step(TicketStatus status, string by, string? note) => history.Add(new TicketEvent(at, status, by, note));

        var roster = new[] { estate.Staff("manager"), estate.Staff("service") };
        EmergencyLadder? ladder = null;
        if (job.Ladder is { } l && staff is not null)
        {
            var pages = new List<EmergencyPage> { new(roster[0].Id, created) };
            if (l.Escalated) pages.Add(new EmergencyPage(roster[1].Id, created.AddMinutes(1)));
            ladder = new EmergencyLadder
            {
                Pages = pages, AcknowledgedAt = created.AddSeconds(l.Ack), AcknowledgedBy = staff.Id,
                OnTheWayAt = created.AddSeconds(l.OnTheWay), OnSiteAt = created.AddSeconds(l.OnSite),
            };
            // The steps as TicketService.LadderAsync records them.
            var steps = new[]
                { (l.Ack, Assigned, "ack"), (l.OnTheWay, InProgress, "on_the_way"), (l.OnSite, InProgress, "on_site") };
            foreach (var (seconds, status, note) in steps)
            {
                at = created.AddSeconds(seconds);
                Step(status, staff.Name, note);
            }
        }
        else if (job.Status != New && staff is not null)
        {
            // Hazards and mediation are routed as they come in; the rest the office assigns.
            var routed = job.Kind is "hazard_report" or "mediation";
            After(routed ? 0 : 5, routed ? 1 : 45);
            var by = routed ? TicketService.SystemActor : estate.Staff("service").Name;
            Step(Assigned, by, $"→ {staff.Title} {staff.Name}");
            if (job.Status != Assigned)
            {
                After(20, 180);
                Step(InProgress, staff.Name, null);
            }
        }
        DateTimeOffset? pausedAt = null;
        if (job.Status == WaitingOnResident && staff is not null)
        {
            After(30, 120);
            Step(WaitingOnResident, staff.Name, job.Asked);
            messages.Add(new TicketMessage(at, staff.Name, job.Asked ?? ""));
            pausedAt = at;
        }
        if (job.Status is Resolved or Closed or Reopened && staff is not null)
        {
            After(60, job.Urgency == "urgent" || job.Kind == "emergency" ? 120 : 2 * 24 * 60);
            Step(Resolved, staff.Name, job.Done);
            if (job.Status == Closed)
            {
                After(12 * 60, 3 * 24 * 60);
                Step(Closed, job.Rating is null ? estate.Staff("service").Name : TicketService.ResidentActor, null);
            }
            if (job.Status == Reopened)
            {
                After(20 * 60, 30 * 60);
                Step(Reopened, TicketService.ResidentActor, job.Comment);
            }
        }

        var respondBy = ServiceClock.Add(created, TimeSpan.FromMinutes(target.RespondMinutes), hours);
        var resolveBy = ServiceClock.Add(created, TimeSpan.FromMinutes(target.ResolveMinutes), hours);
        var responded = history.Skip(1).Select(e => (DateTimeOffset?)e.At).FirstOrDefault();
        var resolved = history.FirstOrDefault(e => e.Status is Resolved or Closed)?.At;
        var open = job.Status is not (Resolved or Closed);
        return new Ticket
        {
            Id = $"{estate.Community}-{number}", Number = number, Kind = job.Kind, CommunityId = estate.Community,
            Category = job.Category, UnitId = estate.Unit(job.Flat).Id, Location = job.Place ?? job.Flat,
            Text = job.Text, Urgency = job.Kind == "emergency" ? "urgent" : job.Urgency,
            Answers = new() { ["description"] = job.Text },
            Reporter = new TicketReporter(Linli.Channels.DirectLine.DirectLineOutbound.ChannelId, $"demo-{reporter.Id}",
                $"demo-{number}", reporter.Id),
            CreatedAt = created, RespondBy = respondBy, ResolveBy = resolveBy, Status = job.Status,
            // The service-level check marks what it would have: a reopened ticket is unanswered again.
            RespondBreachedAt = job.Status == Reopened && respondBy < now ? Late(at, now)
                : Breach(respondBy, responded, now),
            ResolveBreachedAt = open && pausedAt is not null ? null : Breach(resolveBy, open ? null : resolved, now),
            PausedAt = pausedAt, AssigneeId = staff?.Id, Rating = job.Status is Resolved or Closed or Reopened
                ? job.Rating : null,
            RatingComment = job.Status is Resolved or Closed or Reopened ? job.Comment : null, Ladder = ladder,
            History = history, Messages = messages,
            Notes = job.Done is null || open ? [] : [new TicketNote(history[^1].At, staff!.Name, job.Done)],
            // One version per change, as TicketService.Save counts them (the rating is one more).
            Version = history.Count + (job.Rating is null || open ? 0 : 1) + (job.Done is null || open ? 0 : 1),
            UpdatedAt = history[^1].At, SourceKey = $"{DemoLife.SourcePrefix}{estate.Community}|{number}",
        };
    }

    /// <summary>When the check would have found <paramref name="due"/> missed, if it was missed by then.</summary>
    private static DateTimeOffset? Breach(DateTimeOffset due, DateTimeOffset? metAt, DateTimeOffset now) =>
        (metAt ?? now) > due + CheckLag ? due + CheckLag : null;

    private static DateTimeOffset Late(DateTimeOffset since, DateTimeOffset now) => Min(since + CheckLag, now);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
