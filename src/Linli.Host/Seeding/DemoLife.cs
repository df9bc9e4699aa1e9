using Linli.Calendar;
using Linli.Communities;
using Linli.Fees;
using Linli.Mediation;
using Linli.Notices;
using Linli.People;
using Linli.Projects;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.Tickets;
using static Linli.Tickets.TicketStatus;

namespace Linli.Seeding;

/// <summary>
/// The demo estate's daily life, so the staff console, the notice board, the projects page and the mediation desk
/// are not empty on a newcomer's first look: two months of tickets in every state (emergencies with their 1-3-5
/// ladder, some open past their deadline), notices, a fire-mains project funded from four sources and a small one
/// closed to the fen, and half a year of mediation cases with every outcome. Fixed stories, dated back from the
/// seeding time; the flats the tests lean on (3栋501, 3栋602, 5栋301…) are left out, and 3栋502, the demo resident's,
/// gets one open repair and one resolved one.
/// </summary>
public static class DemoLife
{
    /// <summary>Numbers read like real tickets' (BX-20261103-0001); the source key says the seed wrote them.</summary>
    public const string SourcePrefix = "demo|";
    /// <summary>How long after a deadline the service-level check would have marked the breach.</summary>
    private static readonly TimeSpan CheckLag = TimeSpan.FromSeconds(30);

    public static void Seed(LinliDatabase db, DemoDataSet data, Period last, DateTimeOffset now, int randomSeed)
    {
        var estate = new Estate(data);
        var tickets = Tickets(estate, now, new Random(randomSeed + 15));
        db.Tickets.InsertBulk(tickets);
        db.Notices.InsertBulk(Notices(estate, last, now));
        db.Projects.InsertBulk(Numbered(Projects(estate, now), estate.Community, now));
        Mediation(db, estate, now, tickets);
    }

    /// <summary>The demo's people by what they do, and who lives in each flat.</summary>
    private sealed class Estate
    {
        private readonly Dictionary<string, Person> _staff;
        private readonly Dictionary<string, Unit> _units;
        private readonly ILookup<string, Person> _byUnit;

        public Estate(DemoDataSet data)
        {
            Community = data.Community.Id;
            var people = data.People.ToDictionary(p => p.Id);
            // The README's sign-ins (manager, repair1…) name the staff here too.
            _staff = DemoAccounts.For(data.People, Community, isDemo: true, passwordHash: "")
                .ToDictionary(a => a.Id, a => people[a.PersonId]);
            _units = data.Units.ToDictionary(u => u.Label);
            _byUnit = data.People.Where(p => !p.IsOrganization)
                .SelectMany(p => p.Units.Select(b => (b.UnitId, Person: p))).ToLookup(x => x.UnitId, x => x.Person);
            Owner = data.People.FirstOrDefault(p => p.Phone == DemoPeople.DemoResidentPhone);
        }

        public string Community { get; }
        /// <summary>The demo resident of 3栋502, who reports that flat's tickets.</summary>
        private Person? Owner { get; }

        public Person Staff(string account) => _staff[account];
        public Unit Unit(string flat) => _units[flat];

        /// <summary>Who speaks for a flat: the demo resident in theirs, else one who lives there, else the owner.
        /// </summary>
        public Person Resident(string flat)
        {
            var unit = Unit(flat);
            if (Owner is not null && Owner.Units.Any(b => b.UnitId == unit.Id)) return Owner;
            var people = _byUnit[unit.Id].ToList();
            return people.FirstOrDefault(p => p.Has(Role.Resident)) ?? people.First();
        }

        /// <summary>A flat's first owner, for mediation parties.</summary>
        public Person OwnerOf(string flat) => _byUnit[Unit(flat).Id].First(p => p.Units.Any(b =>
            b.UnitId == Unit(flat).Id && b.Relation == UnitRelation.Owner));
    }

    // ---- tickets ----

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
        new("repair_request", "3栋502", "厨房水槽下水管漏水，橱柜里都是水", InProgress, 1, "repair1", Category: "plumbing"),
        new("repair_request", "3栋502", "卫生间吸顶灯不亮，换了灯泡也不行", Resolved, 21, "repair2", Category: "electrical",
            Rating: 5, Comment: "师傅很细心，还帮忙检查了插座", Done: "更换灯座及镇流器"),
        new("repair_request", "1栋1202", "客厅天花板渗水，怀疑楼上卫生间漏水", Reopened, 12, "repair2", Category: "plumbing",
            Rating: 2, Comment: "下雨后又开始滴水，没修好", Done: "楼上卫生间地漏重新打胶"),
        new("repair_request", "2栋1504", "2栋2号电梯运行时有咔咔异响，坐着心慌", InProgress, 4, "repair1",
            Place: "2栋2号电梯", Category: "lift"),
        new("repair_request", "1栋1503", "马桶水箱一直流水，关不住", New, 1, null, Category: "plumbing"),
        new("repair_request", "2栋704", "地下车库B区一排照明灯不亮，晚上很暗", New, 2, null, Place: "地下车库B区",
            Category: "electrical"),
        new("repair_request", "6栋502", "阳台防盗窗生锈脱焊，有一根松了", WaitingOnResident, 3, "repair1",
            Category: "structure", Asked: "您好，明天上午9点左右上门查看，家里方便留人吗？"),
        new("repair_request", "5栋803", "入户门锁坏了，钥匙拧不动", Closed, 40, "repair2", Urgency: "urgent",
            Category: "door", Rating: 5, Comment: "半小时就到了，很及时", Done: "更换锁芯"),
        new("repair_request", "6栋1203", "阳台地漏堵塞，下雨倒灌进客厅", Closed, 33, "repair1", Category: "plumbing",
            Rating: 4, Done: "疏通地漏并加装防臭芯"),
        new("repair_request", "1栋704", "7楼楼道声控灯坏了，晚上摸黑", Resolved, 6, "repair2", Place: "1栋7楼楼道",
            Category: "electrical", Done: "更换声控灯两盏"),
        new("repair_request", "3栋1401", "厨房冷水阀门滴水", Closed, 55, "repair1", Category: "plumbing", Rating: 5,
            Done: "更换角阀"),
        new("repair_request", "5栋603", "空调冷凝水管脱落，水滴到楼下", Closed, 47, "repair2", Category: "other",
            Rating: 3, Comment: "修好了，但等了三天", Done: "重新固定冷凝水管"),
        new("repair_request", "1栋304", "单元门禁刷卡没反应，进不了门", Closed, 28, "repair1", Category: "door",
            Rating: 4, Done: "门禁读卡器重新接线"),
        new("repair_request", "6栋901", "卧室窗户合页断了，关不严", Closed, 18, "repair2", Category: "structure", Rating: 5,
            Done: "更换合页"),
        new("complaint", "2栋1101", "11楼消防通道堆了纸箱和旧家具，楼道堆物很久了", Resolved, 9, "service",
            Place: "2栋11楼楼道", Done: "已通知住户清理，楼道已清空"),
        new("complaint", "1栋803", "楼上装修噪音扰民，中午和晚上十点后还在打电钻", InProgress, 2, "service"),
        new("complaint", "5栋1102", "楼上空调外机滴水到我家窗台，噼里啪啦响一夜", Closed, 25, "service", Rating: 4,
            Done: "已与楼上业主沟通，加装接水管"),
        new("complaint", "1栋1204", "东门快递车乱停，消防通道被占，救护车进不来", InProgress, 5, "safety",
            Place: "东门消防通道"),
        new("complaint", "6栋1202", "楼顶有人违规搭建阳光房", Assigned, 6, "admin", Place: "6栋楼顶"),
        new("complaint", "3栋1303", "电梯里有狗便溺，没人清理", Closed, 38, "service", Rating: 3,
            Done: "电梯已消毒，张贴文明养犬提示"),
        new("complaint", "1栋1001", "晚上广场舞音响太吵，十点还没停", Closed, 50, "service", Rating: 2,
            Comment: "只安静了两天", Done: "与舞蹈队约定晚九点半前结束、音量减半"),
        new("hazard_report", "3栋1102", "外墙瓷砖松动，楼下是儿童游乐区", Resolved, 15, "safety", Place: "3栋北侧外墙",
            Urgency: "urgent", Done: "拉警戒线，高空作业清除松动瓷砖"),
        new("hazard_report", "5栋1001", "有人把电动车推进楼道飞线充电", Closed, 30, "safety", Place: "5栋一楼大堂",
            Rating: 5, Done: "电动车已移至充电棚，张贴禁止入户充电通知"),
        new("hazard_report", "6栋1001", "6栋消防栓箱门脱落，水带不见了", InProgress, 3, "safety", Place: "6栋10楼消防栓"),
        new("hazard_report", "1栋1104", "私家车长期占用1栋北侧消防通道", Closed, 20, "safety", Place: "1栋北侧消防通道",
            Urgency: "urgent", Rating: 4, Done: "联系车主挪车，通道已划禁停线"),
        new("emergency", "3栋903", "3栋1号电梯困人，里面有老人和小孩", Closed, 27, "manager", Place: "3栋1号电梯",
            Rating: 5, Done: "电梯公司到场放人，无人受伤", Ladder: new(false, 38, 110, 260)),
        new("emergency", "2栋304", "地下车库水管爆裂，水漫到车位", Closed, 44, "service", Place: "地下车库B区",
            Rating: 4, Done: "关闭总阀，更换爆裂管段", Ladder: new(true, 75, 160, 365)),
        new("emergency", "2栋1503", "楼道里很浓的煤气味", Resolved, 10, "manager", Place: "2栋15楼楼道",
            Done: "燃气公司到场，1504厨房软管老化，已关阀更换", Ladder: new(false, 25, 90, 230)),
        new("mediation", "3栋1203", "楼上3栋1303卫生间漏水到我家，协商不成，申请调解", Assigned, 8, "mediator"),
        new("mediation", "6栋801", "我的车位被邻居长期占用，说了不听", Closed, 35, "mediator", Rating: 4,
            Done: "调解成功，双方签订协议"),
    ];

    private static List<Ticket> Tickets(Estate estate, DateTimeOffset now, Random rng)
    {
        var today = ChinaTime.DateOf(now);
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

    private static Ticket Ticket(Estate estate, Job job, string number, DateTimeOffset created, DateTimeOffset now,
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
            UpdatedAt = history[^1].At, SourceKey = $"{SourcePrefix}{estate.Community}|{number}",
        };
    }

    /// <summary>When the check would have found <paramref name="due"/> missed, if it was missed by then.</summary>
    private static DateTimeOffset? Breach(DateTimeOffset due, DateTimeOffset? metAt, DateTimeOffset now) =>
        (metAt ?? now) > due + CheckLag ? due + CheckLag : null;

    private static DateTimeOffset Late(DateTimeOffset since, DateTimeOffset now) => Min(since + CheckLag, now);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    // ---- notices ----

    private static IEnumerable<Notice> Notices(Estate estate, Period last, DateTimeOffset now)
    {
        var office = estate.Staff("service").Name;
        var manager = estate.Staff("manager").Name;
        var china = now.InChina();
        var n = 0;
        Notice Make(int daysAgo, string by, string title, string body, int? building = null) => new()
        {
            Id = $"{estate.Community}-notice-{++n:D2}", CommunityId = estate.Community,
            Scope = building is null ? NoticeScope.Community : NoticeScope.Building, BuildingNumber = building,
            Title = title, Body = body, PublishedAt = now.AddDays(-daysAgo).AddHours(-n), PublishedBy = by,
        };
        string Day(int days) => $"{china.AddDays(days):M月d日}";
        yield return Make(12, office, $"{last.Month}月物业费缴费提醒",
            $"{last.Month}月物业费、停车费账单已出。可在「邻里」查询并通过微信支付缴纳，或到物业服务中心（1栋一楼）办理。" +
            "欠费超过三个月的住户，客服会电话联系，请理解配合。");
        yield return Make(8, office, $"{last.AddMonths(-1).Month}月公共收益公示",
            $"{last.AddMonths(-1).Month}月公共收益（停车、电梯广告、充电桩、快递柜）收支明细及凭证已公示，" +
            "请到「公开账目」查看。对任何一笔有疑问，可在公示期内在线提出，业委会将书面答复。");
        yield return Make(5, manager, "消防演练通知",
            $"{Day(4)}上午10:00在中心广场举行消防疏散演练，泉州市丰泽区消防救援大队现场指导。届时警报响起请勿惊慌，" +
            "按楼道指示走安全出口，不要乘坐电梯。欢迎老人和孩子一起参加，学习使用灭火器。");
        yield return Make(2, office, "2栋停水通知",
            $"因二次供水水箱清洗消毒，2栋将于{Day(1)} 9:00–15:00 停水，请提前储水。恢复供水初期水质可能发黄，" +
            "放水片刻即可。给您带来不便，敬请谅解。", building: 2);
        yield return Make(1, manager, "茶桌议事投票提醒：地下车库加装充电桩",
            $"「地下车库东侧加装20个充电桩」的表决将于{Day(11)}截止，已有三分之一的户投票。" +
            "请各户业主到「茶桌议事」查看方案并投票，一户一票；公共收益相关事项按规定须双过半通过。");
    }

    // ---- projects ----

    private static IEnumerable<Project> Projects(Estate estate, DateTimeOffset now)
    {
        var manager = estate.Staff("manager");
        var recorded = manager.Name;
        DateOnly Day(int daysAgo) => ChinaTime.DateOf(now.AddDays(-daysAgo));
        DateTimeOffset At(int daysAgo) => now.AddDays(-daysAgo);
        MoneyLine Line(string id, MoneyLineKind kind, int daysAgo, string party, decimal amount,
            FundingSource? source = null, string? what = null, string? reference = null, bool refund = false) => new()
        {
            Id = id, Kind = kind, Source = source, Party = party, Amount = amount, Date = Day(daysAgo), What = what,
            Reference = reference, Refund = refund, RecordedAt = At(daysAgo), RecordedBy = recorded,
        };
        List<StatusChange> Steps(params int[] daysAgo) =>
        [
            .. daysAgo.Select((d, i) => new StatusChange
            {
                From = (ProjectStatus)i, To = (ProjectStatus)(i + 1), At = At(d), By = recorded,
            }),
        ];
        const string residents = "业主自筹（126户）", water = "泉州水务集团", topUp = "丰泽区住建局（以奖代补）";
        const string fund = "刺桐苑专项维修资金", builder = "泉安消防工程有限公司";

        // The fire mains ran dry (the pump was replaced at once from the fund's emergency use); refilling and re-piping
        // them is paid by the owners, the fund, the water company and the district's reward for old-estate renewal.
        yield return new Project
        {
            Id = "", Number = "", CommunityId = estate.Community, Title = "消防管网补水改造",
            Description = "消防水池及室内消火栓管网长期无水。更换补水泵（已由公维金应急支出）、修复地下主管渗漏点、" +
                "更换老化阀门和消火栓箱，恢复管网压力并接入消防物联网监测。",
            Budget = 186_000m, Status = ProjectStatus.InProgress, CreatedById = manager.Id, CreatedBy = recorded,
            CreatedAt = At(80), UpdatedAt = At(3), History = Steps(76, 31),
            Lines =
            [
                Line("P1", MoneyLineKind.Pledge, 74, residents, 50_400m, FundingSource.ResidentContributions),
                Line("P2", MoneyLineKind.Pledge, 74, fund, 9_600m, FundingSource.MaintenanceFund),
                Line("P3", MoneyLineKind.Pledge, 60, water, 30_000m, FundingSource.Company),
                Line("P4", MoneyLineKind.Pledge, 45, topUp, 96_000m, FundingSource.GovernmentTopUp),
                Line("R1", MoneyLineKind.Receipt, 58, residents, 30_800m, FundingSource.ResidentContributions,
                    reference: "农行 20261008-0031"),
                Line("R2", MoneyLineKind.Receipt, 40, water, 30_000m, FundingSource.Company, reference: "工行 HX8830172"),
                Line("R3", MoneyLineKind.Receipt, 33, residents, 12_400m, FundingSource.ResidentContributions,
                    reference: "农行 20261105-0012"),
                Line("R4", MoneyLineKind.Receipt, 30, topUp, 48_000m, FundingSource.GovernmentTopUp,
                    reference: "丰建补〔2026〕17号 首期"),
                Line("R5", MoneyLineKind.Receipt, 8, fund, 9_350m, FundingSource.MaintenanceFund,
                    reference: DemoOpenAccounts.FirePumpApplication(now)),
                Line("E1", MoneyLineKind.Expense, 50, "泉州市建筑设计院", 6_800m, what: "管网检测及改造设计",
                    reference: "发票 35020018"),
                Line("E2", MoneyLineKind.Expense, 26, "福建亚通管业", 38_650.50m, what: "镀锌钢管、阀门及消火栓箱采购",
                    reference: "发票 35020466"),
                Line("E3", MoneyLineKind.Expense, 20, builder, 40_000m, what: "施工进度款（首期）",
                    reference: "发票 35020590"),
                Line("E4", MoneyLineKind.Expense, 8, builder, 9_350m, what: "补水泵更换", reference: "发票 35020731"),
            ],
            Updates =
            [
                new() { Text = "设计方案经业委会审定，业主自筹认捐过半，进场前公示施工时间。", At = At(52), By = recorded },
                new() { Text = "地下主管三处渗漏点已开挖修复，1栋、2栋立管阀门更换完毕。", At = At(18), By = recorded },
                new() { Text = "补水泵更换完成，管网开始补水保压；3栋、5栋、6栋消火栓箱更换中，预计两周完工。", At = At(3),
                    By = recorded },
            ],
        };

        // A small one from last spring, inspected, accounted and closed: what was left went back to the owners.
        const string owners = "业主自筹（208户）";
        yield return new Project
        {
            Id = "", Number = "", CommunityId = estate.Community, Title = "儿童游乐区安全地垫更换",
            Description = "中心广场儿童游乐区旧地垫开裂起翘，更换为EPDM塑胶安全地垫约180平方米。",
            Budget = 26_500m, Status = ProjectStatus.Closed, CreatedById = manager.Id, CreatedBy = recorded,
            CreatedAt = At(230), UpdatedAt = At(150), History = Steps(226, 200, 160, 150),
            Lines =
            [
                Line("P1", MoneyLineKind.Pledge, 224, owners, 10_400m, FundingSource.ResidentContributions),
                Line("P2", MoneyLineKind.Pledge, 224, "泉州泊安停车管理有限公司", 6_000m, FundingSource.Company),
                Line("P3", MoneyLineKind.Pledge, 220, topUp, 10_000m, FundingSource.GovernmentTopUp),
                Line("R1", MoneyLineKind.Receipt, 215, owners, 10_400m, FundingSource.ResidentContributions,
                    reference: "农行 20260419-0007"),
                Line("R2", MoneyLineKind.Receipt, 212, "泉州泊安停车管理有限公司", 6_000m, FundingSource.Company,
                    reference: "建行 PA2026042"),
                Line("R3", MoneyLineKind.Receipt, 170, topUp, 10_000m, FundingSource.GovernmentTopUp,
                    reference: "丰建补〔2026〕5号"),
                Line("E1", MoneyLineKind.Expense, 188, "泉州童乐体育设施有限公司", 23_860m, what: "EPDM安全地垫铺设",
                    reference: "发票 35011273"),
                Line("E2", MoneyLineKind.Expense, 162, "泉州市产品质量检验所", 1_200m, what: "地垫环保及防摔检测",
                    reference: "发票 35011590"),
                Line("E3", MoneyLineKind.Expense, 151, owners, 1_340m, what: "结余按户退回", refund: true),
            ],
            Updates =
            [
                new() { Text = "旧地垫已铲除，基层找平完成。", At = At(195), By = recorded },
                new() { Text = "新地垫铺设完成，养护七天后开放。", At = At(185), By = recorded },
                new() { Text = "检测合格，决算公示：结余1,340.00元按户退回。", At = At(151), By = recorded },
            ],
            Acceptance = new Acceptance
            {
                AcceptedBy = "业委会委员二人；泉州市产品质量检验所", Date = Day(160), Note = "地垫厚度、冲击吸收检测合格",
                RecordedAt = At(160), RecordedBy = recorded,
            },
        };
    }

    /// <summary>XM-{year}-{nn} by creation within each China year, as ProjectService counts for the next one.</summary>
    private static IEnumerable<Project> Numbered(IEnumerable<Project> projects, string community, DateTimeOffset now) =>
        projects.OrderBy(p => p.CreatedAt).GroupBy(p => p.CreatedAt.InChina().Year)
            .SelectMany(year => year.Select((p, i) => p with
            {
                Number = $"XM-{year.Key}-{i + 1:00}", Id = $"{community}/XM-{year.Key}-{i + 1:00}",
            }));

    // ---- mediation ----

    private sealed record Dispute(string Subject, DisputeKind Kind, CaseSource Source, string Applicant,
        string? Respondent, int DaysAgo, CaseOutcome? Outcome, string Text, string? Agreement = null,
        string? ReferredTo = null, string? Note = null, bool Visited = false, string? FromTicket = null);

    private static readonly Dispute[] Disputes =
    [
        new("楼上卫生间渗水至楼下天花板", DisputeKind.Leak, CaseSource.Office, "1栋1202", "1栋1302", 170,
            CaseOutcome.Settled, "天花板多处水渍、墙皮脱落，楼上业主认为是外墙渗水。",
            Agreement: "1302业主于一个月内重做卫生间防水；1202天花板修补费用1,800元由1302业主承担，签字后七日内付清。",
            Note: "双方当场签字", Visited: true),
        new("楼上深夜跳绳、拖椅子", DisputeKind.Noise, CaseSource.Chat, "2栋703", "2栋803", 140, CaseOutcome.Failed,
            "每晚十一点后有跳绳和拖椅子的声音，孩子睡不着。", Note: "被申请人不认可噪音来源，拒绝继续调解，已告知可向派出所反映"),
        new("车位长期被占，双方对车位归属有争议", DisputeKind.Parking, CaseSource.Office, "5栋702", "6栋602", 115,
            CaseOutcome.Referred, "申请人称地下车库B-117车位为其购买，对方称是开发商租给他的。",
            ReferredTo: "丰泽区人民法院", Note: "涉及车位产权，调解不宜处理，建议诉讼"),
        new("邻居的狗夜里吠叫", DisputeKind.Pets, CaseSource.Web, "3栋1401", "3栋1501", 90, CaseOutcome.Withdrawn,
            "狗每天夜里叫一两个小时。", Note: "双方已自行协商，申请人撤回"),
        new("公摊电费分摊有异议", DisputeKind.Fees, CaseSource.Office, "6栋1001", null, 30, CaseOutcome.Settled,
            "6栋电梯公摊电费比其他楼栋高出近一倍，要求物业说明。",
            Agreement: "物业公示6栋电梯电表近12个月读数，多收部分412.60元抵扣下期物业费；今后公摊电费按季公示。",
            Note: "经核对电表读数达成一致"),
        new("楼上装修噪音", DisputeKind.Noise, CaseSource.Complaint, "1栋803", "1栋903", 2, null,
            "中午和晚上十点后还在打电钻。", FromTicket: "楼上装修噪音扰民，中午和晚上十点后还在打电钻"),
        new("楼上漏水到我家，协商不成", DisputeKind.Leak, CaseSource.Chat, "3栋1203", "3栋1303", 8, null,
            "楼上卫生间漏水到我家厨房吊顶，已经两个星期。", FromTicket: "楼上3栋1303卫生间漏水到我家，协商不成，申请调解"),
    ];

    private static void Mediation(LinliDatabase db, Estate estate, DateTimeOffset now, List<Ticket> tickets)
    {
        var mediator = estate.Staff("mediator");
        var manager = estate.Staff("manager");
        var cases = Disputes.OrderBy(d => -d.DaysAgo).Select(d =>
        {
            var opened = now.AddDays(-d.DaysAgo).AddHours(-3);
            var applicant = estate.OwnerOf(d.Applicant);
            var respondent = d.Respondent is null ? null : estate.OwnerOf(d.Respondent);
            var parties = new List<Party>
            {
                new()
                {
                    PersonId = applicant.Id, Name = applicant.Name, Flat = d.Applicant, Role = PartyRole.Applicant,
                },
                respondent is null
                    ? new() { Name = "刺桐物业服务有限公司", Role = PartyRole.PropertyCompany }
                    : new()
                    {
                        PersonId = respondent.Id, Name = respondent.Name, Flat = d.Respondent,
                        Role = PartyRole.Respondent,
                    },
            };
            var session = new Session(Min(opened.AddDays(Math.Min(7, d.DaysAgo) / 2.0), now.AddHours(-20)),
                "刺桐苑人民调解室", [.. parties.Select(p => p.Name!)], "听取双方陈述，现场查看。", mediator.Id);
            var decided = d.Outcome is { } o ? new Decision(o, session.At.AddDays(o == CaseOutcome.Withdrawn ? 2 : 9),
                o == CaseOutcome.Withdrawn ? applicant.Id : mediator.Id, d.ReferredTo, d.Note) : null;
            var visit = decided is not null && d.Outcome == CaseOutcome.Settled
                ? new FollowUp(ChinaTime.DateOf(decided.At.AddDays(30)),
                    d.Visited ? decided.At.AddDays(31) : null, d.Visited ? "协议已履行，双方满意" : null)
                : null;
            return new MediationCase
            {
                Id = "", Number = "", CommunityId = estate.Community, Subject = d.Subject, Kind = d.Kind,
                Source = d.Source,
                TicketNumber = d.FromTicket is null ? null : tickets.First(t => t.Text == d.FromTicket).Number,
                Text = d.Text, Parties = parties, MediatorId = mediator.Id, Sessions = [session],
                Agreement = d.Agreement, Decision = decided, FollowUp = visit, OpenedAt = opened,
                OpenedBy = d.Source is CaseSource.Chat or CaseSource.Web ? applicant.Id : manager.Id,
                Version = 3 + (d.Agreement is null ? 0 : 1) + (decided is null ? 0 : 1) + (visit is null ? 0 : 2),
                UpdatedAt = visit?.DoneAt ?? decided?.At ?? session.At,
            };
        }).ToList();
        // TJ-{year}-{nnnn} from the counter MediationService continues from.
        foreach (var year in cases.GroupBy(c => c.OpenedAt.InChina().Year))
        {
            var key = $"mediation|{estate.Community}|{year.Key}";
            foreach (var c in year)
            {
                var number = $"TJ-{year.Key}-{db.NextNumber(key):D4}";
                db.MediationCases.Insert(c with { Id = $"{estate.Community}/{number}", Number = number });
            }
        }
    }
}
