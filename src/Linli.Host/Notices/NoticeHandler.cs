using Linli.Bot.Dialogs;
using Linli.Calendar;
using Linli.Residents;

namespace Linli.Notices;

/// <summary>
/// notice.list: the latest notices that concern the resident; community-wide ones for someone not yet bound.
/// </summary>
public sealed class NoticeHandler(NoticeService notices, ResidentDirectory residents) : IDialogHandler
{
    public string Name => "notice.list";
    private const int Shown = 5;

    public Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion,
        CancellationToken cancellationToken)
    {
        var speaker = residents.WhoIs(completion.Turn.Activity);
        var latest = notices.For(speaker.CommunityId, speaker.UnitId, Shown);
        // One line each, as dialogs/notice.yaml words it.
        var line = completion.Texts["line"];
        var locale = completion.Turn.Activity.Locale;
        var result = new Dictionary<string, string>
        {
            ["notices"] = string.Join("\n", latest.Select(n => line.Format(locale,
                ("date", n.PublishedAt.InChina().ToString("M/d")),
                ("title", n.Title), ("body", n.Body)))),
        };
        if (latest.Count == 0) result[DialogResults.Outcome] = "none";
        else if (speaker.Binding is null) result[DialogResults.Outcome] = "unbound";
        return Task.FromResult<IReadOnlyDictionary<string, string>>(result);
    }
}
