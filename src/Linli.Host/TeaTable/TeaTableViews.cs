using System.Security.Claims;
using Linli.Accounts;
using Linli.People;
using Linli.Uploads;

namespace Linli.TeaTable;

/// <summary>How threads, posts and people appear to a reader: with the tally, their own vote and reactions.</summary>
public sealed class TeaTableViews(
    ITeaVoteStore votes, TeaTableTally tally, TeaTableDirectory directory, TimeProvider time)
{
    public ThreadView View(TeaThread t, ClaimsPrincipal? viewer)
    {
        var me = viewer?.PersonId();
        TallyView? vote = null;
        if (t.Proposal is { } p)
        {
            var mine = me is null ? null : votes.StanceOf(t.CommunityId, t.Id, me)?.ToString();
            var open = p.Final is null && time.GetUtcNow() < p.Deadline;
            vote = new TallyView(
                p.Matter.ToString(), VoteRules.IsSpecial(p.Matter), p.Deadline, open, p.Final ?? tally.Count(t), mine);
        }
        var following = me is not null && t.Followers.Contains(me);
        return new ThreadView(
            t.Id, t.CommunityId, t.Building, t.Title, t.AuthorId, t.AuthorName, t.CreatedAt, t.LastPostAt,
            t.PostCount, t.Pinned, t.Locked, t.LockReason, t.SlowModeSeconds, t.Closed, t.Conclusion, t.CloseAt,
            t.ReopenAt, t.Proposal?.Text, vote, following, t.Version);
    }

    /// <summary>
    /// A post as <paramref name="viewer"/> sees it (null: as everyone watching does); a hidden one without its text.
    /// </summary>
    public static PostView View(Post p, string? viewer)
    {
        var mine = viewer is null ? [] : p.Reactions.Where(kv => kv.Value.Contains(viewer)).Select(kv => kv.Key);
        return new PostView(
            p.Id, p.ThreadId, p.AuthorId, p.AuthorName, p.Hidden is null ? p.Html : "", p.ReplyTo,
            p.Attachments.Select(FileUrl).OfType<string>().ToArray(),
            p.Reactions.ToDictionary(kv => kv.Key, kv => kv.Value.Count), mine.ToArray(),
            p.CreatedAt, p.EditedAt, p.Hidden is { } h ? new HiddenView(h.By, h.Reason, h.At) : null, p.Flags.Count);
    }

    /// <summary>
    /// How a person appears at the tea table. Staff by title and name (they act for the office); residents by surname
    /// and building only — "李** · 3栋" — so neighbours know who is nearby without the forum publishing full
    /// names. Volunteers and committee members say so. Full names stay where they are needed: the committee's vote
    /// list, the audit.
    /// </summary>
    public string PublicName(ClaimsPrincipal user)
    {
        var person = user.PersonId() is { Length: > 0 } id ? directory.Person(user.CommunityId() ?? "", id) : null;
        var name = person?.Name ?? user.DisplayName();
        if (person?.Title is { } title) return $"{title} {name}";
        var masked = name.Length <= 1 ? name : name[0] + new string('*', Math.Min(name.Length - 1, 2));
        var unit = user.FindFirstValue(LinliClaims.Unit)
            ?? person?.Units.FirstOrDefault(b => b.Relation != UnitRelation.Tenant)?.UnitId
            ?? person?.Units.FirstOrDefault()?.UnitId;
        var building = unit is null ? null : directory.Unit(unit)?.BuildingNumber;
        var role = user.Is(Role.Committee) ? "业委会 " : user.Is(Role.Volunteer) ? "志愿者 " : "";
        return role + masked + (building is { } b ? $" · {b}栋" : "");
    }

    /// <summary>The URL of a post's image: posts keep upload ids (older posts kept the URL itself).</summary>
    private static string? FileUrl(string attachment)
    {
        if (UploadStore.IsId(attachment)) return $"{TeaTableApi.FilesPath}/{attachment}";
        return UploadId(attachment) is not null ? attachment : null;
    }

    /// <summary>The upload id in a URL of the tea table's images, if it is one.</summary>
    public static string? UploadId(string url)
    {
        var prefix = TeaTableApi.FilesPath + "/";
        return url.StartsWith(prefix, StringComparison.Ordinal) && UploadStore.IsId(url[prefix.Length..])
            ? url[prefix.Length..]
            : null;
    }
}
