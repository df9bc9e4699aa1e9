using Linli.Calendar;
using Linli.Mediation;
using Linli.Storage.LiteDb;
using Linli.Tickets;

namespace Linli.Seeding;

/// <summary>Half a year of mediation cases with every outcome, two of them begun as complaints in the chat.</summary>
internal static class DemoMediation
{
    private sealed record Dispute(string Subject, DisputeKind Kind, CaseSource Source, string Applicant,
        string? Respondent, int DaysAgo, CaseOutcome? Outcome, string Text, string? Agreement = null,
        string? ReferredTo = null, string? Note = null, bool Visited = false, string? FromTicket = null);

    private static readonly Dispute[] Disputes =
    [
        new("楼上卫生间渗水至楼下天花板", DisputeKind.Leak, CaseSource.Office, "1栋1202", "1栋1302", 170,
            CaseOutcome.Settled, "天花板多处水渍、墙皮脱落，楼上业主认为是外墙渗水。",
            Agreement: "1302业主于一个月内重做卫生间防水；" +
                "1202天花板修补费用1,800元由1302业主承担，签字后七日内付清。",
            Note: "双方当场签字", Visited: true),
        new("楼上深夜跳绳、拖椅子", DisputeKind.Noise, CaseSource.Chat, "2栋703", "2栋803", 140,
            CaseOutcome.Failed, "每晚十一点后有跳绳和拖椅子的声音，孩子睡不着。",
            Note: "被申请人不认可噪音来源，拒绝继续调解，已告知可向派出所反映"),
        new("车位长期被占，双方对车位归属有争议", DisputeKind.Parking, CaseSource.Office, "5栋702",
            "6栋602", 115, CaseOutcome.Referred,
            "申请人称地下车库B-117车位为其购买，对方称是开发商租给他的。",
            ReferredTo: "丰泽区人民法院", Note: "涉及车位产权，调解不宜处理，建议诉讼"),
        new("邻居的狗夜里吠叫", DisputeKind.Pets, CaseSource.Web, "3栋1401", "3栋1501", 90,
            CaseOutcome.Withdrawn, "狗每天夜里叫一两个小时。",
            Note: "双方已自行协商，申请人撤回"),
        new("公摊电费分摊有异议", DisputeKind.Fees, CaseSource.Office, "6栋1001", null, 30,
            CaseOutcome.Settled, "6栋电梯公摊电费比其他楼栋高出近一倍，要求物业说明。",
            Agreement: "物业公示6栋电梯电表近12个月读数，多收部分412.60元抵扣下期物业费；" +
                "今后公摊电费按季公示。",
            Note: "经核对电表读数达成一致"),
        new("楼上装修噪音", DisputeKind.Noise, CaseSource.Complaint, "1栋803", "1栋903", 2, null,
            "中午和晚上十点后还在打电钻。",
            FromTicket: "楼上装修噪音扰民，中午和晚上十点后还在打电钻"),
        new("楼上漏水到我家，协商不成", DisputeKind.Leak, CaseSource.Chat, "3栋1203", "3栋1303", 8, null,
            "楼上卫生间漏水到我家厨房吊顶，已经两个星期。",
            FromTicket: "楼上3栋1303卫生间漏水到我家，协商不成，申请调解"),
    ];

    public static void Seed(LinliDatabase db, DemoEstate estate, DateTimeOffset now, List<Ticket> tickets)
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
                "刺桐苑人民调解室", [.. parties.Select(p => p.Name!)], "听取双方陈述，现场查看。",
                mediator.Id);
            var decided = d.Outcome is { } o ? new Decision(o, session.At.AddDays(o == CaseOutcome.Withdrawn ? 2 : 9),
                o == CaseOutcome.Withdrawn ? applicant.Id : mediator.Id, d.ReferredTo, d.Note) : null;
            var visit = decided is not null && d.Outcome == CaseOutcome.Settled
                ? new FollowUp(DateOnly.FromDateTime(decided.At.AddDays(30).InChina().DateTime),
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

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
