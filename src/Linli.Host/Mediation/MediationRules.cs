using System.Security.Claims;
using Linli.Accounts;
using Linli.Calendar;
using Linli.Hosting;
using Linli.Storage;

namespace Linli.Mediation;

/// <summary>
/// What the mediation services share: the words for each kind of dispute, how requests are read and refused (in
/// Chinese and English), who runs a case, and the audit entry that lands with each write.
/// </summary>
internal static class MediationRules
{
    public const int MaxSubject = 60;
    public const int MaxText = 4000;
    public const int MaxShort = 100;

    /// <summary>What residents and staff call each kind; the first is its label.</summary>
    public static readonly Dictionary<DisputeKind, string[]> KindWords = new()
    {
        [DisputeKind.Noise] = ["噪音扰民", "噪音", "扰民"],
        [DisputeKind.Leak] = ["漏水渗水", "漏水", "渗水"],
        [DisputeKind.Parking] = ["停车纠纷", "停车", "车位"],
        [DisputeKind.Pets] = ["宠物", "养狗", "养猫"],
        [DisputeKind.Fees] = ["物业费用", "物业费", "费用"],
        [DisputeKind.PropertyService] = ["物业服务"],
        [DisputeKind.Other] = ["其他"],
    };

    /// <summary>A kind by its English name or one of its Chinese words; none is Other.</summary>
    public static DisputeKind KindOf(string? text)
    {
        if (text is not { Length: > 0 }) return DisputeKind.Other;
        var word = text.Trim();
        if (EnumNames.TryParse<DisputeKind>(word, out var named)) return named;
        foreach (var (kind, words) in KindWords)
            if (words.Contains(word)) return kind;
        throw Invalid("kind", "mediation.unknown_kind", new
        {
            words = string.Join("、", KindWords.Values.Select(w => w[0])),
            names = EnumNames.List<DisputeKind>(),
        });
    }

    public static void MustRun(CaseAccess access)
    {
        if (access is not (CaseAccess.Manager or CaseAccess.Mediator))
            throw DomainProblem.Forbidden("mediation.not_your_case");
    }

    public static void MustBeOpen(MediationCase c)
    {
        if (c.Decision is { } d)
            throw DomainProblem.Conflict("mediation.already_decided", new { d.Outcome, on = Local(d.At) });
    }

    public static string Required(string? value, string field, int max) =>
        Optional(value, field, max) ?? throw Invalid(field, "mediation.required");

    public static string? Optional(string? value, string field, int max) =>
        value?.Trim() is not { Length: > 0 } trimmed ? null
        : trimmed.Length <= max ? trimmed
        : throw Invalid(field, "mediation.too_long", new { max });

    public static string? Shorten(string? text) =>
        text?.Trim() is { Length: > 0 } t ? t.Length <= MaxSubject ? t : t[..(MaxSubject - 1)] + "…" : null;

    public static DomainProblem Invalid(string field, string key, object? values = null) =>
        DomainProblem.Bad(key, values, field);

    public static DomainProblem NotMember(string communityId) =>
        DomainProblem.Forbidden("mediation.not_a_member", new { communityId });

    public static DomainProblem NotFound(string number) =>
        DomainProblem.NotFound("mediation.case_not_found", new { number });

    public static DateTimeOffset Local(DateTimeOffset at) => at.InChina();

    public static Period MonthOf(DateTimeOffset at) => Period.Of(Local(at));

    /// <summary>The audit entry that lands with the write, as the audit trail records one.</summary>
    public static AuditEntry Audit(ClaimsPrincipal user, string action, string target, string detail,
        DateTimeOffset at) => new()
        {
            Id = Ids.New(), At = at, CommunityId = user.CommunityId() ?? "", PersonId = user.PersonId() ?? "",
            Name = user.DisplayName(), Action = action, Target = target, Detail = detail,
        };
}
