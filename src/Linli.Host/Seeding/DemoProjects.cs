using Linli.Calendar;
using Linli.Projects;

namespace Linli.Seeding;

/// <summary>
/// A fire-mains project funded from four sources, in progress, and a small one inspected and closed to the fen.
/// </summary>
internal static class DemoProjects
{
    public static IEnumerable<Project> Make(DemoEstate estate, DateTimeOffset now) =>
        Numbered(Stories(estate, now), estate.Community, now);

    private static IEnumerable<Project> Stories(DemoEstate estate, DateTimeOffset now)
    {
        var manager = estate.Staff("manager");
        var recorded = manager.Name;
        DateOnly Day(int daysAgo) => DateOnly.FromDateTime(now.AddDays(-daysAgo).InChina().DateTime);
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
        const string residents = "业主自筹（126户）", water = "泉州水务集团",
            topUp = "丰泽区住建局（以奖代补）";
        const string fund = "刺桐苑专项维修资金", builder = "泉安消防工程有限公司";

        // The fire mains ran dry (the pump was replaced at once from the fund's emergency use); refilling and re-piping
        // them is paid by the owners, the fund, the water company and the district's reward for old-estate renewal.
        yield return new Project
        {
            Id = "", Number = "", CommunityId = estate.Community, Title = "消防管网补水改造",
            Description = "消防水池及室内消火栓管网长期无水。" +
                "更换补水泵（已由公维金应急支出）、修复地下主管渗漏点、" +
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
                Line("R2", MoneyLineKind.Receipt, 40, water, 30_000m, FundingSource.Company,
                    reference: "工行 HX8830172"),
                Line("R3", MoneyLineKind.Receipt, 33, residents, 12_400m, FundingSource.ResidentContributions,
                    reference: "农行 20261105-0012"),
                Line("R4", MoneyLineKind.Receipt, 30, topUp, 48_000m, FundingSource.GovernmentTopUp,
                    reference: "丰建补〔2026〕17号 首期"),
                Line("R5", MoneyLineKind.Receipt, 8, fund, 9_350m, FundingSource.MaintenanceFund,
                    reference: DemoOpenAccounts.FirePumpApplication(now)),
                Line("E1", MoneyLineKind.Expense, 50, "泉州市建筑设计院", 6_800m,
                    what: "管网检测及改造设计",
                    reference: "发票 35020018"),
                Line("E2", MoneyLineKind.Expense, 26, "福建亚通管业", 38_650.50m,
                    what: "镀锌钢管、阀门及消火栓箱采购",
                    reference: "发票 35020466"),
                Line("E3", MoneyLineKind.Expense, 20, builder, 40_000m, what: "施工进度款（首期）",
                    reference: "发票 35020590"),
                Line("E4", MoneyLineKind.Expense, 8, builder, 9_350m, what: "补水泵更换",
                    reference: "发票 35020731"),
            ],
            Updates =
            [
                new() { Text = "设计方案经业委会审定，业主自筹认捐过半，" +
                    "进场前公示施工时间。", At = At(52), By = recorded },
                new() { Text = "地下主管三处渗漏点已开挖修复，1栋、2栋立管阀门更换完毕。",
                    At = At(18), By = recorded },
                new() { Text = "补水泵更换完成，管网开始补水保压；3栋、5栋、" +
                    "6栋消火栓箱更换中，预计两周完工。", At = At(3),
                    By = recorded },
            ],
        };

        // A small one from last spring, inspected, accounted and closed: what was left went back to the owners.
        const string owners = "业主自筹（208户）";
        yield return new Project
        {
            Id = "", Number = "", CommunityId = estate.Community, Title = "儿童游乐区安全地垫更换",
            Description = "中心广场儿童游乐区旧地垫开裂起翘，" +
                "更换为EPDM塑胶安全地垫约180平方米。",
            Budget = 26_500m, Status = ProjectStatus.Closed, CreatedById = manager.Id, CreatedBy = recorded,
            CreatedAt = At(230), UpdatedAt = At(150), History = Steps(226, 200, 160, 150),
            Lines =
            [
                Line("P1", MoneyLineKind.Pledge, 224, owners, 10_400m, FundingSource.ResidentContributions),
                Line("P2", MoneyLineKind.Pledge, 224, "泉州泊安停车管理有限公司", 6_000m,
                    FundingSource.Company),
                Line("P3", MoneyLineKind.Pledge, 220, topUp, 10_000m, FundingSource.GovernmentTopUp),
                Line("R1", MoneyLineKind.Receipt, 215, owners, 10_400m, FundingSource.ResidentContributions,
                    reference: "农行 20260419-0007"),
                Line("R2", MoneyLineKind.Receipt, 212, "泉州泊安停车管理有限公司", 6_000m,
                    FundingSource.Company,
                    reference: "建行 PA2026042"),
                Line("R3", MoneyLineKind.Receipt, 170, topUp, 10_000m, FundingSource.GovernmentTopUp,
                    reference: "丰建补〔2026〕5号"),
                Line("E1", MoneyLineKind.Expense, 188, "泉州童乐体育设施有限公司", 23_860m,
                    what: "EPDM安全地垫铺设",
                    reference: "发票 35011273"),
                Line("E2", MoneyLineKind.Expense, 162, "泉州市产品质量检验所", 1_200m,
                    what: "地垫环保及防摔检测",
                    reference: "发票 35011590"),
                Line("E3", MoneyLineKind.Expense, 151, owners, 1_340m, what: "结余按户退回", refund: true),
            ],
            Updates =
            [
                new() { Text = "旧地垫已铲除，基层找平完成。", At = At(195), By = recorded },
                new() { Text = "新地垫铺设完成，养护七天后开放。", At = At(185), By = recorded },
                new() { Text = "检测合格，决算公示：结余1,340.00元按户退回。", At = At(151),
                    By = recorded },
            ],
            Acceptance = new Acceptance
            {
                AcceptedBy = "业委会委员二人；泉州市产品质量检验所", Date = Day(160),
                Note = "地垫厚度、冲击吸收检测合格",
                RecordedAt = At(160), RecordedBy = recorded,
            },
        };
    }

    /// <summary>XM-{year}-{nn} by creation within each China year, as ProjectService counts for the next one.</summary>
    private static IEnumerable<Project> Numbered(IEnumerable<Project> projects, string community, DateTimeOffset now) =>
        projects.OrderBy(p => p.CreatedAt).GroupBy(p => p.CreatedAt.InChina().Year)
            .SelectMany(year => year.Select((p, i) => p with
            {
                Number = $"XM-{year.Key}-{i + 1:00}",
                Id = $"{community}/XM-{year.Key}-{i + 1:00}",
            }));
}
