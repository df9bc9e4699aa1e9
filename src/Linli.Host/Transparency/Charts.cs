using System.Globalization;
using System.Net;
using System.Text;

namespace Linli.Transparency;

public enum ChartUnit { Yuan, Percent, Count, Minutes }

/// <summary>A name in both languages.</summary>
public sealed record Words(string Zh, string En)
{
    public string In(bool english) => english ? En : Zh;
}

public sealed record Series(Words Name, decimal[] Values);

/// <summary>
/// One chart of a dashboard: labels along the bottom, one or more series of bars. The same data draws the SVG, fills
/// the table beside it and makes its CSV, so the three can never disagree.
/// </summary>
public sealed record Chart(
    string Id,
    Words Title,
    Words[] Labels,
    Series[] Series,
    ChartUnit Unit,
    Words[]? Notes = null);

/// <summary>
/// Charts drawn on the server as plain SVG: no script, so they show in WeChat's browser and print as they look.
/// </summary>
public static class SvgCharts
{
    private const int Width = 640, Height = 260, Left = 64, Right = 8, Top = 28, Bottom = 44;
    private static readonly string[] Colors = ["#2f6f4f", "#d98c2b", "#4a78b5", "#b5484a", "#7a5ea8", "#3b8b95"];

    public static string Svg(Chart chart, bool english)
    {
        var title = Html(chart.Title.In(english));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg class="chart" viewBox="0 0 {Width} {Height}" """)
            .Append("""role="img" """)
            .Append(CultureInfo.InvariantCulture, $"""aria-labelledby="{chart.Id}-title" """)
            .Append("""xmlns="http://www.w3.org/2000/svg">""")
            .Append(CultureInfo.InvariantCulture, $"""<title id="{chart.Id}-title">{title}</title>""");
        var max = chart.Unit == ChartUnit.Percent
            ? 1m
            : Math.Max(chart.Series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max(), 0m);
        max = max == 0 ? 1 : NiceCeiling(max);
        var (plotW, plotH) = (Width - Left - Right, Height - Top - Bottom);
        for (var i = 0; i <= 4; i++)
        {
            var y = Top + plotH - plotH * i / 4m;
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" x2="{Width - Right}" """)
                .Append(CultureInfo.InvariantCulture, $"""y1="{y:0.#}" y2="{y:0.#}" class="grid"/>""")
                .Append(CultureInfo.InvariantCulture, $"""<text x="{Left - 6}" y="{y + 4:0.#}" """)
                .Append("""class="axis" text-anchor="end">""")
                .Append(Html(Format(max * i / 4, chart.Unit, axis: true))).Append("</text>");
        }
        var groups = Math.Max(chart.Labels.Length, 1);
        var groupW = (decimal)plotW / groups;
        var barW = groupW * 0.8m / Math.Max(chart.Series.Length, 1);
        for (var g = 0; g < chart.Labels.Length; g++)
        {
            var label = chart.Labels[g].In(english);
            var x0 = Left + groupW * g + groupW * 0.1m;
            for (var s = 0; s < chart.Series.Length; s++)
            {
                var value = chart.Series[s].Values[g];
                var h = Math.Max(value, 0) / max * plotH;
                svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{x0 + barW * s:0.#}" """)
                    .Append(CultureInfo.InvariantCulture, $"""y="{Top + plotH - h:0.#}" """)
                    .Append(CultureInfo.InvariantCulture, $"""width="{Math.Max(barW - 1, 1):0.#}" height="{h:0.#}" """)
                    .Append(CultureInfo.InvariantCulture, $"""fill="{Colors[s % Colors.Length]}">""")
                    .Append("<title>")
                    .Append(Html($"{label} {chart.Series[s].Name.In(english)}: {Format(value, chart.Unit)}"))
                    .Append("</title></rect>");
            }
            // Every label when they fit, else every other one.
            if (groups <= 12 || g % 2 == 0)
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x0 + groupW * 0.4m:0.#}" """)
                    .Append(CultureInfo.InvariantCulture, $"""y="{Height - Bottom + 16}" """)
                    .Append("""class="axis" text-anchor="middle">""").Append(Html(label)).Append("</text>");
        }
        for (var s = 0; s < chart.Series.Length; s++)
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{Left + s * 150}" y="6" """)
                .Append("""width="12" height="12" """)
                .Append(CultureInfo.InvariantCulture, $"""fill="{Colors[s % Colors.Length]}"/>""")
                .Append(CultureInfo.InvariantCulture, $"""<text x="{Left + s * 150 + 16}" y="16" """)
                .Append("""class="legend">""").Append(Html(chart.Series[s].Name.In(english))).Append("</text>");
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// The chart's numbers as a table: one row per label, one column per series (and its notes, if any).
    /// </summary>
    public static string Table(Chart chart, bool english)
    {
        var html = new StringBuilder("<table class=\"numbers\"><caption>")
            .Append(Html(chart.Title.In(english)))
            .Append("</caption><thead><tr><th></th>");
        foreach (var s in chart.Series)
            html.Append("<th scope=\"col\">").Append(Html(s.Name.In(english))).Append("</th>");
        if (chart.Notes is not null) html.Append("<th scope=\"col\">").Append(english ? "Note" : "说明").Append("</th>");
        html.Append("</tr></thead><tbody>");
        for (var g = 0; g < chart.Labels.Length; g++)
        {
            html.Append("<tr><th scope=\"row\">").Append(Html(chart.Labels[g].In(english))).Append("</th>");
            foreach (var s in chart.Series)
                html.Append("<td>").Append(Html(Format(s.Values[g], chart.Unit))).Append("</td>");
            if (chart.Notes is not null) html.Append("<td>").Append(Html(chart.Notes[g].In(english))).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>
    /// UTF-8 with a byte-order mark so a spreadsheet reads the Chinese; plain numbers, no thousands separators.
    /// </summary>
    public static string Csv(Chart chart, bool english)
    {
        static string Cell(string text) => "\"" + text.Replace("\"", "\"\"") + "\"";
        var csv = new StringBuilder("\uFEFF").Append(Cell(english ? "Label" : "项目"));
        foreach (var s in chart.Series) csv.Append(',').Append(Cell(s.Name.In(english)));
        if (chart.Notes is not null) csv.Append(',').Append(Cell(english ? "Note" : "说明"));
        csv.Append("\r\n");
        for (var g = 0; g < chart.Labels.Length; g++)
        {
            csv.Append(Cell(chart.Labels[g].In(english)));
            foreach (var s in chart.Series)
            {
                var value = chart.Unit == ChartUnit.Percent ? decimal.Round(s.Values[g] * 100, 2) : s.Values[g];
                csv.Append(',').Append(value.ToString(CultureInfo.InvariantCulture));
            }
            if (chart.Notes is not null) csv.Append(',').Append(Cell(chart.Notes[g].In(english)));
            csv.Append("\r\n");
        }
        return csv.ToString();
    }

    public static string Format(decimal value, ChartUnit unit, bool axis = false) => unit switch
    {
        ChartUnit.Percent => (value * 100).ToString(axis ? "0" : "0.0", CultureInfo.InvariantCulture) + "%",
        ChartUnit.Yuan => value.ToString(axis ? "#,0" : "#,0.00", CultureInfo.InvariantCulture),
        ChartUnit.Minutes => value.ToString("0.#", CultureInfo.InvariantCulture),
        _ => value.ToString("#,0.##", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// 1, 2 or 5 times a power of ten at or above <paramref name="value"/>: gridlines at round numbers.
    /// </summary>
    private static decimal NiceCeiling(decimal value)
    {
        var power = (decimal)Math.Pow(10, Math.Floor(Math.Log10((double)value)));
        foreach (var step in new[] { 1m, 2m, 2.5m, 5m, 10m })
            if (step * power >= value) return step * power;
        return 10 * power;
    }

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}
