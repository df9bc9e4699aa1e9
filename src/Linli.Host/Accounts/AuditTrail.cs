using System.Buffers.Binary;
using System.Security.Claims;
using System.Security.Cryptography;

namespace Linli.Accounts;

/// <summary>One thing a member of staff or a moderator did.</summary>
public sealed record AuditEntry
{
    /// <summary>24 hex digits that sort as the entries were made (see <see cref="AuditTrail.NewId"/>).</summary>
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
public sealed class AuditTrail(IAuditLog log, TimeProvider time)
{
    private static readonly byte[] Process = RandomNumberGenerator.GetBytes(5);
    // Starts low, so the counter does not wrap within one second and reorder what it numbers.
    private static int _counter = RandomNumberGenerator.GetInt32(0x800000);

    public void Record(ClaimsPrincipal user, string action, string target, string? detail = null) =>
        log.Append(new AuditEntry
        {
            Id = NewId(), At = time.GetUtcNow(), CommunityId = user.CommunityId() ?? "",
            PersonId = user.PersonId() ?? "", Name = user.DisplayName(), Action = action, Target = target,
            Detail = detail,
        });

    /// <summary>
    /// The community's entries, newest first: <paramref name="take"/> of them after skipping <paramref name="skip"/>.
    /// </summary>
    public IReadOnlyList<AuditEntry> For(string communityId, int take, int skip = 0) =>
        log.Latest(communityId, skip, take);

    /// <summary>
    /// An id in the layout the log has always had (LiteDB's ObjectId: seconds, this process, a counter), made here:
    /// entries of one instant keep the order they were made in, and sort after the older entries already kept.
    /// </summary>
    public static string NewId()
    {
        Span<byte> id = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(id, (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Process.CopyTo(id[4..]);
        var count = Interlocked.Increment(ref _counter) & 0xFFFFFF;
        id[9] = (byte)(count >> 16);
        id[10] = (byte)(count >> 8);
        id[11] = (byte)count;
        return Convert.ToHexStringLower(id);
    }
}
