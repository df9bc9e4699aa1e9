using System.Security.Claims;
using LiteDB;
using Linli.Storage;

namespace Linli.Accounts;

/// <summary>One thing a member of staff or a moderator did.</summary>
public sealed record AuditEntry
{
    public required string Id { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string CommunityId { get; init; }
    public required string PersonId { get; init; }
    public required string Name { get; init; }
    /// <summary>e.g. "ticket.update", "notice.publish", "arrears.remind".</summary>
    public required string Action { get; init; }
    public required string Target { get; init; }
    public string? Detail { get; init; }
}

/// <summary>Every staff and moderator action, kept: who, when, what, on what.</summary>
public sealed class AuditTrail(LinliDatabase db, TimeProvider time)
{
    public void Record(ClaimsPrincipal user, string action, string target, string? detail = null) =>
        db.AuditLog.Insert(new AuditEntry
        {
            Id = ObjectId.NewObjectId().ToString(), At = time.GetUtcNow(), CommunityId = user.CommunityId() ?? "",
            PersonId = user.PersonId() ?? "", Name = user.DisplayName(), Action = action, Target = target, Detail = detail,
        });

    public List<AuditEntry> For(string communityId, int take) =>
        db.AuditLog.Find(e => e.CommunityId == communityId).OrderByDescending(e => e.At).Take(take).ToList();
}
