using Linli.Bot.Dialogs;

namespace Linli.Fees;

/// <summary>
/// "Fees": how residents pay (Linli takes no money) and how often the office may remind one resident of arrears.
/// </summary>
public sealed class FeesOptions
{
    public const string SectionName = "Fees";

    /// <summary>Said when a resident asks how to pay; one text per language.</summary>
    public LocalizedText HowToPay { get; set; } = new()
    {
        ["zh-CN"] = "缴费方式：① 物业服务中心（1栋一楼，每天 8:30–17:30）；"
            + "② 微信搜索“刺桐苑物业”小程序缴费；③ 银行转账，备注房号。"
            + "邻里小助手不经手任何款项。",
        ["en"] = "How to pay: (1) at the property office (building 1, ground floor, 8:30–17:30 daily); "
            + "(2) the “刺桐苑物业” WeChat mini-program; "
            + "(3) bank transfer with your flat number as the reference. "
            + "Linli never handles money.",
    };

    /// <summary>At most one arrears reminder per resident in this many days.</summary>
    public int ReminderIntervalDays { get; set; } = 7;
}
