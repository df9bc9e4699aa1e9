using Linli.Bot.Schema;
using Linli.Bot.Turns;
using Linli.Phrases;
using Linli.Storage;
using Linli.Communities;
using Linli.Residents;

namespace Linli.Notices;

/// <summary>Publishes notices and pushes each to the bound residents it concerns, in their own chats.</summary>
public sealed class NoticeService(INoticeStore store, IResidentBindingStore bindings, ICommunityStore communities,
    TimeProvider time, IConversationReferenceStore references, IProactiveMessenger messenger,
    CommonPhrases phrases, ILogger<NoticeService> logger)
{
    public async Task<Notice> PublishAsync(string communityId, NoticeScope scope, int? building, string? unitId, string title, string body,
        string publishedBy, CancellationToken cancellationToken)
    {
        var notice = new Notice
        {
            Id = Ids.New(), CommunityId = communityId, Scope = scope,
            BuildingNumber = scope == NoticeScope.Building ? building : null, UnitId = scope == NoticeScope.Unit ? unitId : null,
            Title = title, Body = body, PublishedAt = time.GetUtcNow(), PublishedBy = publishedBy,
        };
        store.Save(notice);

        var pushed = 0;
        foreach (var binding in bindings.InCommunity(communityId))
        {
            var unit = communities.FindUnit(binding.UnitId);
            if (unit is null || !notice.Reaches(communityId, unit.BuildingNumber, unit.Id)) continue;
            var (channel, user) = binding.Identity();
            var reference = await references.FindAsync(channel, user, cancellationToken);
            if (reference is null) continue;
            var text = phrases.NoticePushed.Format(reference.Locale, ("title", title), ("body", body));
            await messenger.SendAsync(reference, new Activity { Text = text }, cancellationToken);
            pushed++;
        }
        notice = notice with { PushedTo = pushed };
        store.Save(notice);
        logger.LogInformation("Notice {Id} ({Scope}) published in {Community} by {By}; pushed to {Count} residents", notice.Id, scope, communityId, publishedBy, pushed);
        return notice;
    }

    /// <summary>The latest notices for a flat (community-wide, its building, itself), or community-wide ones when no flat is known.</summary>
    public List<Notice> For(string communityId, string? unitId, int take)
    {
        var unit = unitId is null ? null : communities.FindUnit(unitId);
        return store.Latest(communityId)
            .Where(n => n.Reaches(communityId, unit?.BuildingNumber, unit?.Id))
            .Take(take)
            .ToList();
    }

    public IReadOnlyList<Notice> All(string communityId) => store.Latest(communityId);
}
