using Linli.MaintenanceFund;
using Linli.Projects;
using Linli.PublicRevenue;

namespace Linli.Transparency;

/// <summary>
/// The names owners read for the open accounts' categories, Chinese first and English equal, in one place.
/// </summary>
public static class OpenAccountsWords
{
    private static readonly Dictionary<Enum, (string Zh, string En)> Names = new()
    {
        [RevenueSource.Parking] = ("停车", "Parking"), [RevenueSource.Advertising] = ("广告", "Advertising"),
        [RevenueSource.LiftAdvertising] = ("电梯广告", "Lift ads"), [RevenueSource.EvCharging] = ("充电桩", "EV chargers"),
        [RevenueSource.VenueRental] = ("场地租用", "Venue rental"),
        [RevenueSource.ExpressLockers] = ("快递柜", "Parcel lockers"),
        [RevenueSource.Recycling] = ("废品回收", "Recycling"), [RevenueSource.Other] = ("其他", "Other"),
        [SpendingPurpose.Repairs] = ("维修", "Repairs"), [SpendingPurpose.Greening] = ("绿化", "Greening"),
        [SpendingPurpose.Activities] = ("社区活动", "Activities"), [SpendingPurpose.Cleaning] = ("保洁", "Cleaning"),
        [SpendingPurpose.Security] = ("安保", "Security"), [SpendingPurpose.Tax] = ("税费", "Tax"),
        [SpendingPurpose.Management] = ("管理", "Management"), [SpendingPurpose.Other] = ("其他", "Other"),
        [MonthStatus.Open] = ("记账中", "being recorded"), [MonthStatus.Pending] = ("已结账，待审计", "closed, awaiting audit"),
        [MonthStatus.Objected] = ("有异议待答复", "objection awaiting an answer"),
        [MonthStatus.Audited] = ("业主已审计", "audited by owners"),
        [ApplicationStatus.Voting] = ("表决中", "voting"), [ApplicationStatus.Approved] = ("表决通过", "approved"),
        [ApplicationStatus.Rejected] = ("未通过", "rejected"), [ApplicationStatus.NoQuorum] = ("参与不足", "no quorum"),
        [ApplicationStatus.Spent] = ("已支出", "spent"),
        [ApplicationStatus.AwaitingConfirmation] = ("应急使用，待业委会确认", "emergency use, awaiting confirmation"),
        [ApplicationStatus.Confirmed] = ("应急使用，已确认", "emergency use, confirmed"),
        [ProjectStatus.Planned] = ("筹划中", "planned"), [ProjectStatus.Funding] = ("筹资中", "funding"),
        [ProjectStatus.InProgress] = ("施工中", "in progress"), [ProjectStatus.Accepted] = ("已验收", "accepted"),
        [ProjectStatus.Closed] = ("已决算", "closed"),
    };

    public static string Name(Enum value, bool english) =>
        Names.TryGetValue(value, out var name) ? english ? name.En : name.Zh : value.ToString();

    public static string Name(string enumText, bool english) =>
        Names.Keys.FirstOrDefault(k => k.ToString() == enumText) is { } key ? Name(key, english) : enumText;
}
