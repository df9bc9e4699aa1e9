using Linli.Calendar;
using Linli.Notices;

namespace Linli.Seeding;

/// <summary>The notice board: fee reminders, the public revenue shown, a fire drill, a water cut, a vote.</summary>
internal static class DemoNotices
{
    public static IEnumerable<Notice> Make(DemoEstate estate, Period last, DateTimeOffset now)
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
            $"{last.Month}月物业费、停车费账单已出。" +
            "可在「邻里」查询并通过微信支付缴纳，或到物业服务中心（1栋一楼）办理。" +
            "欠费超过三个月的住户，客服会电话联系，请理解配合。");
        yield return Make(8, office, $"{last.AddMonths(-1).Month}月公共收益公示",
            $"{last.AddMonths(-1).Month}月公共收益（停车、电梯广告、充电桩、" +
            "快递柜）收支明细及凭证已公示，" +
            "请到「公开账目」查看。对任何一笔有疑问，可在公示期内在线提出，" +
            "业委会将书面答复。");
        yield return Make(5, manager, "消防演练通知",
            $"{Day(4)}上午10:00在中心广场举行消防疏散演练，" +
            "泉州市丰泽区消防救援大队现场指导。届时警报响起请勿惊慌，" +
            "按楼道指示走安全出口，不要乘坐电梯。欢迎老人和孩子一起参加，" +
            "学习使用灭火器。");
        yield return Make(2, office, "2栋停水通知",
            $"因二次供水水箱清洗消毒，2栋将于{Day(1)} 9:00–15:00 停水，请提前储水。" +
            "恢复供水初期水质可能发黄，" +
            "放水片刻即可。给您带来不便，敬请谅解。", building: 2);
        yield return Make(1, manager, "茶桌议事投票提醒：地下车库加装充电桩",
            $"「地下车库东侧加装20个充电桩」的表决将于{Day(11)}截止，" +
            "已有三分之一的户投票。" +
            "请各户业主到「茶桌议事」查看方案并投票，一户一票；" +
            "公共收益相关事项按规定须双过半通过。");
    }
}
