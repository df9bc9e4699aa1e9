using System.Globalization;
using System.Text;
using Linli.Calendar;

namespace Linli.Projects;

/// <summary>
/// A project's account as owners open it in Excel: every money line under one header, then the final account by
/// source and its totals. UTF-8 with a BOM, without which Excel reads the Chinese as another code page.
/// </summary>
public static class ProjectCsv
{
    public static readonly string[] Header =
        ["编号", "类别", "来源", "出资方/收款方", "事项", "金额", "日期", "凭证号", "冲销", "退款", "记录人", "记录时间"];

    public static byte[] Write(Project project)
    {
        var csv = new StringBuilder();
        void Row(params string[] cells) => csv.Append(string.Join(',', cells.Select(Cell))).Append("\r\n");

        Row(Header);
        foreach (var l in project.Lines)
            Row(l.Id, Kind(l.Kind), l.Source is { } s ? FundingSources.Chinese(s) : "", l.Party, l.What ?? "",
                Yuan(l.Amount), l.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), l.Reference ?? "",
                l.Reverses ?? "", l.Refund ? "是" : "", l.RecordedBy,
                l.RecordedAt.InChina().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));

        var account = ProjectService.AccountOf(project);
        Row();
        Row("决算", project.Number, project.Title, "预算", Yuan(project.Budget));
        Row("来源", "认捐", "到账", "未到账", "无认捐");
        foreach (var s in account.Sources)
            Row(s.Name, Yuan(s.Pledged), Yuan(s.Received), Yuan(s.Outstanding), s.Unpledged ? "是" : "");
        Row("合计认捐", Yuan(account.Pledged));
        Row("合计到账", Yuan(account.Received));
        Row("合计支出", Yuan(account.Spent));
        Row("其中退款", Yuan(account.Refunded));
        Row("结余", Yuan(account.Balance));
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    private static string Kind(MoneyLineKind kind) => kind switch
    {
        MoneyLineKind.Pledge => "认捐",
        MoneyLineKind.Receipt => "到账",
        _ => "支出",
    };

    private static string Yuan(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// Quoted when it must be; text that Excel would run as a formula (=, +, -, @) is kept as text. Amounts are
    /// written by <see cref="Yuan"/> and are left as numbers, a minus included.
    /// </summary>
    private static string Cell(string value)
    {
        var text = value.Length > 0 && "=+-@\t\r".Contains(value[0]) && !decimal.TryParse(value, NumberStyles.Number,
            CultureInfo.InvariantCulture, out _) ? "'" + value : value;
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
    }
}
