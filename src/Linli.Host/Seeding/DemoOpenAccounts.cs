using Linli.Calendar;
using Linli.MaintenanceFund;
using Linli.People;
using Linli.PublicRevenue;
using Linli.Storage.LiteDb;
using Linli.TeaTable;

namespace Linli.Seeding;

/// <summary>
/// The demo estate's open accounts, so a newcomer's first look shows a real estate: a year of public revenue
/// (closed, audited, one month objected), the maintenance fund with every flat's deposit, interest, a withdrawal the
/// owners voted and an emergency one awaiting confirmation, and two tea-table threads, one with a proposal mid-vote.
/// </summary>
public static class DemoOpenAccounts
{
    private const decimal DepositPerSquareMetre = 80m;

    /// <summary>A fund application's number as FundService gives it: per community and year (China time).</summary>
    private static string Application(DateTimeOffset now, int n) => $"WX-{ChinaYear(now)}-{n:D2}";

    private static int ChinaYear(DateTimeOffset now) => now.InChina().Year;

    /// <summary>
    /// The fire pump's emergency withdrawal, which the fire-mains project (DemoLife) counts as received.
    /// </summary>
    internal static string FirePumpApplication(DateTimeOffset now) => Application(now, 2);

    public static void Seed(LinliDatabase db, DemoDataSet data, Period last, DateTimeOffset now, int randomSeed)
    {
        var rng = new Random(randomSeed + 14);
        var community = data.Community.Id;
        var office = data.People.First(p => p.Title == "客服专员");
        var manager = data.People.First(p => p.Title == "物业经理");
        var committee = data.People.Where(p => p.Has(Role.Committee)).ToList();
        Revenue(db, community, last, now, rng, office, committee);
        Fund(db, data, last, now, manager, committee);
        Threads(db, data, now, committee);
    }

    private static void Revenue(
        LinliDatabase db, string community, Period last, DateTimeOffset now, Random rng, Person office,
        List<Person> committee)
    {
        var number = 0;
        var lines = new List<LedgerLine>();
        LedgerLine Add(
            Period p, LineKind kind, Enum what, string counterparty, decimal amount, string note = "",
            int? reverses = null)
        {
            number++;
            var line = new LedgerLine
            {
                Id = LedgerLine.IdFor(community, number), CommunityId = community, Number = number, Kind = kind,
                Source = what as RevenueSource?, Purpose = what as SpendingPurpose?, Counterparty = counterparty,
                Period = p, Amount = amount, Note = note, Reverses = reverses, RecordedBy = office.Name,
                // Recorded a few days after the month, and never after the seeding itself.
                RecordedAt = Min(At(p.LastDay, 9).AddDays(3), now),
            };
            lines.Add(line);
            return line;
        }
        LedgerLine Income(Period p, RevenueSource source, string from, decimal amount, string note = "") =>
            Add(p, LineKind.Income, source, from, amount, note);
        LedgerLine Spend(
            Period p, SpendingPurpose purpose, string to, decimal amount, string note, int? reverses = null) =>
            Add(p, LineKind.Spending, purpose, to, amount, note, reverses);
        decimal Around(decimal amount) => decimal.Round(amount * (0.9m + (decimal)rng.NextDouble() * 0.2m), 2);

        var first = last.AddMonths(-11);
        for (var p = first; p <= last; p = p.AddMonths(1))
        {
            Income(p, RevenueSource.Parking, "泉州泊安停车管理有限公司", Around(8_600m), "临时停车收入分成");
            Income(p, RevenueSource.LiftAdvertising, "分众传媒（泉州）", 3_600m, "12部电梯广告位月租");
            Income(p, RevenueSource.EvCharging, "星星充电", Around(780m), "充电桩场地使用费");
            Income(p, RevenueSource.ExpressLockers, "丰巢科技", 300m, "快递柜场地费");
            if (p.Month % 3 == 0) Income(p, RevenueSource.Recycling, "鲤城区再生资源回收站", Around(420m));
            if (p.Month is 5 or 10) Income(p, RevenueSource.VenueRental, "刺桐舞蹈队", 1_200m, "活动室租用");
            Spend(p, SpendingPurpose.Tax, "国家税务总局泉州市税务局", 650.00m, "公共收益增值税及附加");
            if (p.Month % 2 == 0) Spend(p, SpendingPurpose.Greening, "泉州绿源园林", Around(2_400m), "公共绿地补种");
            if (p.Month is 1 or 9)
                Spend(p, SpendingPurpose.Activities, "刺桐苑业委会", 3_000m, p.Month == 1 ? "春节活动" : "中秋博饼");
        }
        // A line typed wrong and put right the way the ledger allows: its opposite, then the right one.
        var (fence, repairer) = (first.AddMonths(2), "鑫安水电维修部");
        var typo = Spend(fence, SpendingPurpose.Repairs, repairer, 6_800m, "儿童乐园围栏更换");
        Spend(fence, SpendingPurpose.Repairs, repairer, -6_800m, "金额录错，冲销", typo.Number);
        var questioned = Spend(fence, SpendingPurpose.Repairs, repairer, 5_800m, "儿童乐园围栏更换");
        db.RevenueLines.InsertBulk(lines);
        db.Settings.Upsert(new SettingRecord($"revenue|{community}", number.ToString()));

        // Every month but the last is closed and signed by two committee members, except the one with a question.
        var balance = 0m;
        for (var p = first; p < last; p = p.AddMonths(1))
        {
            var month = lines.Where(l => l.Period == p).ToList();
            var (income, spending) = (month.Where(l => l.Kind == LineKind.Income).Sum(l => l.Amount),
                month.Where(l => l.Kind == LineKind.Spending).Sum(l => l.Amount));
            var closedAt = At(p.LastDay, 10).AddDays(5);
            db.RevenueCloses.Insert(new MonthClose
            {
                Id = MonthClose.IdFor(community, p), CommunityId = community, Period = p, Opening = balance,
                Income = income, Spending = spending, Closing = balance + income - spending, ClosedAt = closedAt,
                ClosedBy = office.Name,
            });
            balance += income - spending;
            if (p == questioned.Period)
            {
                db.RevenueObjections.Insert(new Objection
                {
                    CommunityId = community, Period = p, LineNumber = questioned.Number, PersonId = committee[0].Id,
                    Name = committee[0].Name, Text = "围栏更换 5,800 元，请附上三家比价和验收单。", At = closedAt.AddDays(2),
                });
                continue;
            }
            foreach (var member in committee.Take(2))
                db.RevenueSignOffs.Insert(new SignOff
                {
                    Id = $"{MonthClose.IdFor(community, p)}/{member.Id}", CommunityId = community, Period = p,
                    PersonId = member.Id, Name = member.Name, Note = "已核对凭证", At = closedAt.AddDays(3),
                });
        }
    }

    private static void Fund(
        LinliDatabase db, DemoDataSet data, Period last, DateTimeOffset now, Person manager, List<Person> committee)
    {
        var community = data.Community.Id;
        var entries = new List<FundEntry>();
        FundEntry Add(
            FundEntryKind kind, decimal amount, DateOnly date, string note, string? unitId = null,
            List<int>? buildings = null, string? application = null, int? thread = null, Tally? vote = null)
        {
            var entry = new FundEntry
            {
                Id = $"{community}/{entries.Count + 1:D6}", CommunityId = community, Number = entries.Count + 1,
                Kind = kind, Amount = amount, UnitId = unitId, Buildings = buildings ?? [], Date = date, Note = note,
                Application = application, VoteThread = thread, Vote = vote, RecordedBy = manager.Name,
                RecordedAt = At(date, 10),
            };
            entries.Add(entry);
            return entry;
        }
        var delivered = new DateOnly(2016, 6, 30);
        foreach (var unit in data.Units)
        {
            var deposit = decimal.Round(unit.Area * DepositPerSquareMetre, 2);
            Add(FundEntryKind.Contribution, deposit, delivered, "首期专项维修资金", unit.Id);
        }
        for (var year = 2017; year <= last.Year; year++)
        {
            var paidOn = new DateOnly(year, 6, 21);
            if (paidOn <= last.LastDay)
            {
                var interest = decimal.Round(entries.Sum(e => e.Amount) * 0.015m, 2);
                Add(FundEntryKind.Interest, interest, paidOn, $"{year}年度利息");
            }
        }

        // The owners of building 2 voted to replace the lift's ropes; the money went out against that vote.
        var lift = Application(now, 1);
        var liftThread = Thread(db, community, committee[0], $"公维金申请 {lift}：2栋电梯更换钢丝绳",
            $"【公维金使用申请 {lift}】2栋电梯更换钢丝绳\n维保单位检测发现钢丝绳断丝超标。\n" +
            "范围：2栋\n预算：48000.00 元",
            2, now.AddDays(-60));
        var tally = Passed(db, data, liftThread, 2);
        db.TeaThreads.Update(liftThread with
        {
            Proposal = new Proposal
            {
                Text = "同意使用公维金 48000.00 元用于：2栋电梯更换钢丝绳。",
                Matter = Matter.UseFund, Deadline = now.AddDays(-46), By = committee[0].Name, Final = tally,
            }
        });
        db.FundApplications.Insert(new FundApplication
        {
            Id = FundApplication.IdFor(community, lift), Number = lift, CommunityId = community,
            Title = "2栋电梯更换钢丝绳", Description = "维保单位检测发现钢丝绳断丝超标。", Buildings = [2],
            Estimate = 48_000m, Matter = Matter.UseFund, Thread = liftThread.Id,
            Quotes = [new Quote("泉州电梯工程公司", 48_000m), new Quote("闽南机电设备", 52_500m)],
            By = manager.Name, At = now.AddDays(-60),
        });
        Add(FundEntryKind.Withdrawal, -48_000m, DaysBefore(now, 40), "泉州电梯工程公司：钢丝绳更换",
            buildings: [2], application: lift, thread: liftThread.Id, vote: tally);

        // The fire mains ran dry: the manager spent first under the local rule; the committee has yet to confirm.
        var firePump = FirePumpApplication(now);
        var fireThread = Thread(db, community, manager, $"公维金应急使用 {firePump}：消防水泵抢修",
            $"【公维金应急使用公示 {firePump}】消防水泵抢修\n消防水池补水泵烧毁，消火栓无水。\n" +
            "范围：全体业主\n预算：9600.00 元\n" +
            "应急原因：消防管网无水。按规定先行使用，事后公示并由业委会确认。", null, now.AddDays(-9));
        db.FundApplications.Insert(new FundApplication
        {
            Id = FundApplication.IdFor(community, firePump), Number = firePump,
            CommunityId = community, Title = "消防水泵抢修",
            Description = "消防水池补水泵烧毁，消火栓无水。", Estimate = 9_600m, Matter = Matter.UseFund,
            Emergency = true, EmergencyReason = "消防管网无水", Thread = fireThread.Id, By = manager.Name,
            At = now.AddDays(-9),
        });
        Add(FundEntryKind.EmergencyWithdrawal, -9_350m, DaysBefore(now, 8), "泉安消防工程：水泵更换",
            application: firePump);
        db.FundEntries.InsertBulk(entries);
        db.Settings.Upsert(new SettingRecord($"fund|{community}", entries.Count.ToString()));
        var applications = $"fund-application|{community}|{ChinaYear(now)}";
        db.Settings.Upsert(new SettingRecord(applications, "2"));
    }

    /// <summary>
    /// A thread that is live now: a proposal to put EV chargers in the car park, with some votes cast.
    /// </summary>
    private static void Threads(LinliDatabase db, DemoDataSet data, DateTimeOffset now, List<Person> committee)
    {
        var thread = Thread(db, data.Community.Id, committee[1], "地下车库东侧加装20个充电桩？",
            "星星充电愿意出资建设，公共收益每度电分成0.1元。大家看看方案，有意见请说。",
            null, now.AddDays(-3));
        db.TeaThreads.Update(thread with
        {
            Proposal = new Proposal
            {
                Text = "同意在地下车库东侧空位加装20个充电桩，场地收益计入公共收益。",
                Matter = Matter.CommonPartsUse, Deadline = now.AddDays(11), By = committee[1].Name,
            }
        });
        var owners = Owners(data).Take(data.Units.Count / 3).ToList();
        db.TeaVotes.InsertBulk(owners.Select((o, i) => new VoteRecord
        {
            Id = $"{thread.Id}|{o.UnitId}", ThreadId = thread.Id, UnitId = o.UnitId, PersonId = o.PersonId,
            Stance = i % 5 == 4 ? Stance.Disagree : i % 7 == 6 ? Stance.Abstain : Stance.Agree, At = now.AddDays(-2),
        }));
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>The hour of a day, China time.</summary>
    private static DateTimeOffset At(DateOnly day, int hour) =>
        new(day.ToDateTime(new TimeOnly(hour, 0)), ChinaTime.Offset);

    private static DateOnly DaysBefore(DateTimeOffset now, int days) =>
        DateOnly.FromDateTime(now.AddDays(-days).UtcDateTime);

    private static TeaThread Thread(
        LinliDatabase db, string community, Person author, string title, string text, int? building, DateTimeOffset at)
    {
        var name = author.Title is { } t ? $"{t} {author.Name}" : $"业委会 {NameMask.Mask(author.Name)}";
        var thread = new TeaThread
        {
            CommunityId = community, Building = building, Title = title, AuthorId = author.Id, AuthorName = name,
            CreatedAt = at, LastPostAt = at, PostCount = 1, Followers = [author.Id],
        };
        thread = thread with { Id = db.TeaThreads.Insert(thread).AsInt32 };
        db.TeaPosts.Insert(new Post
        {
            ThreadId = thread.Id, CommunityId = community, AuthorId = author.Id, AuthorName = name, Text = text,
            Html = PostRenderer.Render(text), CreatedAt = at,
        });
        return thread;
    }

    /// <summary>
    /// Nine in ten of the building's owners vote, all but a few for: a vote that passes by both counts.
    /// </summary>
    private static Tally Passed(LinliDatabase db, DemoDataSet data, TeaThread thread, int building)
    {
        var inBuilding = data.Units.Where(u => u.BuildingNumber == building).Select(u => u.Id).ToHashSet();
        var owners = Owners(data).Where(o => inBuilding.Contains(o.UnitId)).ToList();
        var votes = owners.Take(owners.Count * 9 / 10).Select((o, i) => new VoteRecord
        {
            Id = $"{thread.Id}|{o.UnitId}", ThreadId = thread.Id, UnitId = o.UnitId, PersonId = o.PersonId,
            Stance = i % 9 == 8 ? Stance.Disagree : Stance.Agree, At = thread.CreatedAt.AddDays(3),
        }).ToList();
        db.TeaVotes.InsertBulk(votes);
        var electorate = VoteRules.Electorate(data.Units.Where(u => inBuilding.Contains(u.Id)).Select(u =>
            (u, (IReadOnlyList<Person>)data.People.Where(p => p.Units.Any(b => b.UnitId == u.Id &&
                b.Relation is UnitRelation.Owner or UnitRelation.CoOwner)).ToList())));
        return VoteRules.Count(Matter.UseFund, electorate, votes.ToDictionary(v => v.UnitId, v => v.Stance));
    }

    /// <summary>Each flat's first owner (the developer's unsold flats do not vote in the demo).</summary>
    private static IEnumerable<(string UnitId, string PersonId)> Owners(DemoDataSet data) =>
        data.Units.Select(u => (u.Id, data.People.FirstOrDefault(p => !p.IsOrganization &&
            p.Units.Any(b => b.UnitId == u.Id && b.Relation == UnitRelation.Owner))?.Id))
            .Where(o => o.Item2 is not null).Select(o => (o.Item1, o.Item2!));
}
