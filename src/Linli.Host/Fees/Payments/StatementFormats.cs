using System.Globalization;
using Linli.Calendar;

namespace Linli.Fees.Payments;

/// <summary>
/// The columns Linli reads from a payment statement, by the header names each source prints. A statement row must
/// give a transaction id, a time and an amount; the flat comes from a remark the resident or cashier wrote ("3栋502"
/// or "5栋1单元1203", optionally a month: "3栋502 2026-10" or "3栋502 10月物业费"). See docs/payments.md.
/// </summary>
public sealed record StatementFormat(
    string Source,
    PaymentMethod Method,
    string[] TransactionId,
    string[] Time,
    string[] Amount,
    string[] Remark)
{
    public static readonly IReadOnlyDictionary<string, StatementFormat> All = new Dictionary<string, StatementFormat>
    {
        // WeChat Pay merchant statement (交易账单): every field starts with a backtick.
        ["wechat"] = new("wechat", PaymentMethod.WeChatPay,
            TransactionId: ["微信订单号"],
            Time: ["交易时间"],
            Amount: ["订单金额", "应结订单金额"],
            Remark: ["商户数据包", "商品名称", "附言"]),
        // Alipay merchant statement (账务明细 / 交易明细).
        ["alipay"] = new("alipay", PaymentMethod.Alipay,
            TransactionId: ["支付宝交易号"],
            Time: ["完成时间", "交易付款时间", "入账时间"],
            Amount: ["订单金额（元）", "订单金额(元)", "收入（+元）", "收入(+元)"],
            Remark: ["备注", "商品名称"]),
        // A bank's account statement (流水明细) as most Chinese banks export it.
        ["bank"] = new("bank", PaymentMethod.BankTransfer,
            TransactionId: ["交易流水号", "流水号"],
            Time: ["交易时间", "交易日期"],
            Amount: ["贷方金额", "收入金额", "交易金额"],
            Remark: ["摘要", "附言", "用途"]),
    };

    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy/MM/dd HH:mm:ss", "yyyy/M/d H:mm:ss", "yyyy-MM-dd", "yyyyMMdd",
        "yyyyMMdd HHmmss",
    ];

    public static bool TryParseTime(string text, out DateTimeOffset at)
    {
        // Statements print China time without an offset.
        var culture = CultureInfo.InvariantCulture;
        if (DateTime.TryParseExact(text.Trim(), TimeFormats, culture, DateTimeStyles.None, out var local))
        {
            at = new DateTimeOffset(local, ChinaTime.Offset);
            return true;
        }
        at = default;
        return false;
    }
}

/// <summary>
/// Reads CSV as statements write it: quoted fields, doubled quotes, a BOM, WeChat's backticks, preamble lines.
/// </summary>
public static class Csv
{
    public static List<string[]> Read(string text)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        text = text.TrimStart('\uFEFF');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0: quoted = true; break;
                case ',': fields.Add(Clean(field)); field.Clear(); break;
                case '\r': break;
                case '\n': fields.Add(Clean(field)); field.Clear(); rows.Add([.. fields]); fields.Clear(); break;
                default: field.Append(c); break;
            }
        }
        if (field.Length > 0 || fields.Count > 0) { fields.Add(Clean(field)); rows.Add([.. fields]); }
        return rows;
    }

    private static string Clean(System.Text.StringBuilder field) => field.ToString().Trim().TrimStart('`').Trim();
}
