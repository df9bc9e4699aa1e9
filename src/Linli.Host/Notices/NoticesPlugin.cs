using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace Linli.Notices;

/// <summary>What a chat model may read of notices: community-wide ones only (building and flat notices stay with their residents).</summary>
public sealed class NoticesPlugin(NoticeService notices)
{
    public const string PluginName = "Notices";

    [KernelFunction("latest_notices"), Description("The latest community-wide notices of a community, newest first.")]
    public string LatestNotices([Description("Community id, e.g. citong")] string communityId)
    {
        var latest = notices.For(communityId, unitId: null, take: 5);
        return latest.Count == 0
            ? $"{communityId}: no notices."
            : string.Join("\n", latest.Select(n => $"{n.PublishedAt:yyyy-MM-dd} {n.Title}: {n.Body}"));
    }
}
