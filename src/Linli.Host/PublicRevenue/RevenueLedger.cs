using System.Globalization;
using System.Security.Claims;
using System.Text;
using Linli.Accounts;
using Linli.Communities;
using Linli.Fees;
using Linli.Hosting;
using Linli.People;
using Linli.Storage;
using Linli.Uploads;
using Microsoft.Extensions.Options;

namespace Linli.PublicRevenue;

/// <summary>
/// The public revenue ledger (公共收益) and its audit by owners (业账社审). Lines are appended and never changed; a
/// month is closed by the office, then signed off, or questioned line by line, by the committee and the owners it
/// chose.
/// </summary>
public sealed class RevenueLedger(LinliDatabase db, TimeProvider time, AuditTrail audit, UploadStore uploads,
    IOptions<RevenueOptions> options)
{
    public const int MaxText = 500;
    private static readonly Lock Writes = new();

    // ---- the office writes ----

    public LedgerLine Record(ClaimsPrincipal user, string communityId, NewLine request)
    {
        user.MustServe(communityId);
        var draft = Draft(communityId, request);
        var line = Append(draft, user.DisplayName());
        audit.Record(user, "revenue.line", $"{line.Number}",
            $"{line.Kind} {line.Period} {line.Amount:0.00} {line.Counterparty}");
        return line;
    }

    /// <summary>
    /// Cancels a line by adding its opposite. The reversal belongs to the line's month while that month is open, else
    /// to <paramref name="request"/>'s period or this month: a closed month's figures never move.
    /// </summary>
    public LedgerLine Reverse(ClaimsPrincipal user, string communityId, int number, ReversalRequest request)
    {
        user.MustServe(communityId);
        var note = Text(request.Note, "note", "Say why the line is reversed.");
        var line = Line(communityId, number);
        if (line.Reverses is not null)
            throw DomainProblem.Conflict("A reversal", "A reversing line is not reversed; add a new line.");
        var period = request.Period is null ? (IsClosed(communityId, line.Period) ? Period.Current(time) : line.Period)
            : Month(request.Period);
        var opposite = line with
        {
            Period = period, Amount = -line.Amount, Note = note, Proofs = [], Reverses = number,
        };
        var reversal = Append(opposite, user.DisplayName());
        audit.Record(user, "revenue.reverse", $"{number}", $"by line {reversal.Number}: {note}");
        return reversal;
    }

    public MonthClose Close(ClaimsPrincipal user, string communityId, Period period)
    {
        user.MustServe(communityId);
        MonthClose closed;
        lock (Writes)
        {
            if (period >= Period.Current(time))
                throw DomainProblem.Conflict("Month not over", $"{period} can close once it has ended.");
            if (IsClosed(communityId, period)) throw DomainProblem.Conflict("Already closed", $"{period} is closed.");
            var earlier = db.RevenueLines.Find(l => l.CommunityId == communityId).Select(l => l.Period)
                .Where(p => p < period && !IsClosed(communityId, p)).Order().FirstOrDefault();
            if (earlier != default) throw DomainProblem.Conflict("Close in order", $"Close {earlier} first.");
            var opening = BalanceBefore(communityId, period);
            var lines = LinesOf(communityId, period);
            var income = lines.Where(l => l.Kind == LineKind.Income).Sum(l => l.Amount);
            var spending = lines.Where(l => l.Kind == LineKind.Spending).Sum(l => l.Amount);
            closed = new MonthClose
            {
                Id = MonthClose.IdFor(communityId, period), CommunityId = communityId, Period = period,
                Opening = opening, Income = income, Spending = spending, Closing = opening + income - spending,
                ClosedAt = time.GetUtcNow(), ClosedBy = user.DisplayName(),
            };
            db.RevenueCloses.Insert(closed);
        }
        audit.Record(user, "revenue.close", $"{period}",
            $"income {closed.Income:0.00}, spending {closed.Spending:0.00}");
        return closed;
    }

    public Objection Answer(ClaimsPrincipal user, string communityId, int objectionId, string? text)
    {
        user.MustServe(communityId);
        var answer = Text(text, "text", "Answer the objection in writing.");
        Objection answered;
        lock (Writes)
        {
            var objection = db.RevenueObjections.FindById(objectionId) is { } o && o.CommunityId == communityId ? o
                : throw DomainProblem.NotFound("No such objection", $"No objection {objectionId} here.");
            if (objection.Answer is not null)
                throw DomainProblem.Conflict("Answered", "This objection has its answer.");
            answered = objection with
            {
                Answer = answer, AnsweredBy = user.DisplayName(), AnsweredAt = time.GetUtcNow(),
            };
            db.RevenueObjections.Update(answered);
        }
        audit.Record(user, "revenue.answer", $"objection {objectionId}", answer);
        return answered;
    }

    // ---- the owners audit ----

    /// <summary>The committee's members, and the owners it appointed.</summary>
    public bool IsAuditor(ClaimsPrincipal user, string communityId) =>
        user.BelongsTo(communityId) && (user.Is(Role.Committee) || IsAppointed(user, communityId));

    /// <summary>An owner the committee appointed to audit.</summary>
    private bool IsAppointed(ClaimsPrincipal user, string communityId) =>
        db.RevenueAuditors.Exists(a => a.Id == Auditor.KeyFor(communityId, user.PersonId()));

    public Auditor Appoint(ClaimsPrincipal user, string communityId, AppointRequest request)
    {
        user.MustBelongTo(communityId);
        if (!user.Is(Role.Committee))
            throw DomainProblem.Forbidden("The committee appoints", "Owner auditors are chosen by the committee.");
        var unit = FlatNamed(communityId, request.Flat)
            ?? throw DomainProblem.Bad("No such flat", "Name the owner's flat, e.g. 3栋502.");
        var owners = db.People.Find(p => p.CommunityId == communityId).Where(p => !p.IsOrganization && p.Units.Any(b =>
            b.UnitId == unit.Id && b.Relation is UnitRelation.Owner or UnitRelation.CoOwner)).ToList();
        var owner = owners.Count == 1 ? owners[0] : owners.FirstOrDefault(o => o.Name == request.Name?.Trim())
            ?? throw DomainProblem.Bad("Which owner?",
                $"{unit.Label} has {owners.Count} owners; give the owner's name.");
        var auditor = new Auditor
        {
            Id = Auditor.KeyFor(communityId, owner.Id), CommunityId = communityId, PersonId = owner.Id,
            Name = owner.Name, AppointedBy = user.DisplayName(), At = time.GetUtcNow(),
        };
        db.RevenueAuditors.Upsert(auditor);
        audit.Record(user, "revenue.appoint", unit.Label, NameMask.Mask(owner.Name));
        return auditor;
    }

    /// <summary>The flat written as the tea table writes it, e.g. 3栋502.</summary>
    private Unit? FlatNamed(string communityId, string? flat) =>
        db.Units.FindOne(u => u.CommunityId == communityId && u.BuildingNumber + "栋" + u.Room == (flat ?? "").Trim());

    public List<Auditor> Auditors(string communityId) =>
        db.RevenueAuditors.Find(a => a.CommunityId == communityId).ToList();

    public SignOff SignOff(ClaimsPrincipal user, string communityId, Period period, string? note)
    {
        MustAudit(user, communityId);
        if (!IsClosed(communityId, period))
            throw DomainProblem.Conflict("Not closed", $"{period} is signed once the office closes it.");
        if (HasUnansweredObjections(communityId, period))
            throw DomainProblem.Conflict("Objections unanswered",
                $"{period} has objections the office has not answered yet.");
        if (note is { Length: > MaxText }) throw DomainProblem.Bad("Note too long", $"At most {MaxText} characters.");
        var signOff = new SignOff
        {
            Id = $"{MonthClose.IdFor(communityId, period)}/{user.PersonId()}", CommunityId = communityId,
            Period = period, PersonId = user.PersonId()!, Name = user.DisplayName(), Note = note?.Trim() ?? "",
            At = time.GetUtcNow(),
        };
        if (db.RevenueSignOffs.Exists(s => s.Id == signOff.Id))
            throw DomainProblem.Conflict("Signed", $"You signed {period} already.");
        db.RevenueSignOffs.Insert(signOff);
        audit.Record(user, "revenue.sign", $"{period}", signOff.Note);
        return signOff;
    }

    public Objection Object(ClaimsPrincipal user, string communityId, int lineNumber, string? text)
    {
        MustAudit(user, communityId);
        var line = Line(communityId, lineNumber);
        if (!IsClosed(communityId, line.Period))
            throw DomainProblem.Conflict("Not closed", "Lines are audited once their month is closed.");
        var objection = new Objection
        {
            CommunityId = communityId, Period = line.Period, LineNumber = lineNumber, PersonId = user.PersonId()!,
            Name = user.DisplayName(), Text = Text(text, "text", "Say what is wrong with the line."),
            At = time.GetUtcNow(),
        };
        objection = objection with { Id = db.RevenueObjections.Insert(objection).AsInt32 };
        audit.Record(user, "revenue.object", $"{lineNumber}", objection.Text);
        return objection;
    }

    // ---- everyone reads ----

    public MonthView Month(ClaimsPrincipal user, string communityId, Period period)
    {
        user.MustBelongTo(communityId);
        return MonthOf(communityId, period, user.Serves(communityId));
    }

    /// <param name="staff">
    /// Staff answer auditors and read their names; owners read them as the tea table shows neighbours.
    /// </param>
    public MonthView MonthOf(string communityId, Period period, bool staff = false)
    {
        var lines = LinesOf(communityId, period);
        var close = db.RevenueCloses.FindById(MonthClose.IdFor(communityId, period));
        var opening = close?.Opening ?? BalanceBefore(communityId, period);
        var income = lines.Where(l => l.Kind == LineKind.Income).Sum(l => l.Amount);
        var spending = lines.Where(l => l.Kind == LineKind.Spending).Sum(l => l.Amount);
        var signed = db.RevenueSignOffs.Find(s => s.CommunityId == communityId && s.Period == period)
            .OrderBy(s => s.At)
            .ToList();
        var objections = db.RevenueObjections.Find(o => o.CommunityId == communityId && o.Period == period)
            .OrderBy(o => o.Id);
        string Name(string name) => staff ? name : NameMask.Mask(name);
        return new MonthView(period, Status(communityId, period), opening, income, spending,
            opening + income - spending,
            Totals(lines, LineKind.Income, l => l.Source!.Value.ToString()),
            Totals(lines, LineKind.Spending, l => l.Purpose!.Value.ToString()),
            [.. lines], [.. signed.Select(s => Name(s.Name))], options.Value.RequiredSignOffs,
            [.. objections.Select(o => new ObjectionView(o.Id, o.LineNumber, Name(o.Name), o.Text, o.At,
                o.Answer, o.AnsweredBy, o.AnsweredAt))],
            close?.ClosedAt);
    }

    public List<MonthSummary> Months(ClaimsPrincipal user, string communityId, Period from, Period to)
    {
        user.MustBelongTo(communityId);
        return Months(communityId, from, to);
    }

    public List<MonthSummary> Months(string communityId, Period from, Period to)
    {
        var byMonth = db.RevenueLines.Find(l => l.CommunityId == communityId).ToLookup(l => l.Period);
        var balance = BalanceBefore(communityId, from);
        var months = new List<MonthSummary>();
        for (var p = from; p <= to; p = p.AddMonths(1))
        {
            var lines = byMonth[p].ToList();
            var (income, spending) = (Sum(lines, LineKind.Income), Sum(lines, LineKind.Spending));
            balance += income - spending;
            months.Add(new MonthSummary(p, Status(communityId, p), income, spending, balance));
        }
        return months;
    }

    /// <summary>Every line recorded so far, income minus spending.</summary>
    public decimal Balance(string communityId) =>
        db.RevenueLines.Find(l => l.CommunityId == communityId).Sum(l => l.Signed);

    /// <summary>The ledger as a spreadsheet opens it: UTF-8 with a byte-order mark, one row per line.</summary>
    public string Csv(ClaimsPrincipal user, string communityId, Period from, Period to)
    {
        user.MustBelongTo(communityId);
        var csv = new StringBuilder("\uFEFF编号 No.,月份 Month,类别 Kind,来源/用途 Source/Purpose,对方 Counterparty,金额 Amount," +
            "冲销 Reverses,说明 Note,凭证 Proofs,记录人 By,记录时间 Recorded\r\n");
        var rows = db.RevenueLines.Find(l => l.CommunityId == communityId)
            .Where(l => l.Period >= from && l.Period <= to)
            .OrderBy(l => l.Number);
        foreach (var l in rows)
            csv.AppendJoin(',', new[]
            {
                l.Number.ToString(CultureInfo.InvariantCulture),
                l.Period.ToString(),
                l.Kind.ToString(),
                (l.Source?.ToString() ?? l.Purpose?.ToString())!,
                Cell(l.Counterparty),
                l.Signed.ToString("0.00", CultureInfo.InvariantCulture),
                l.Reverses?.ToString(CultureInfo.InvariantCulture) ?? "",
                Cell(l.Note),
                l.Proofs.Count.ToString(CultureInfo.InvariantCulture),
                Cell(l.RecordedBy),
                l.RecordedAt.ToOffset(Period.ChinaOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            }).Append("\r\n");
        return csv.ToString();
    }

    public MonthStatus Status(string communityId, Period period)
    {
        if (!IsClosed(communityId, period)) return MonthStatus.Open;
        if (HasUnansweredObjections(communityId, period))
            return MonthStatus.Objected;
        var signOffs = db.RevenueSignOffs.Count(s => s.CommunityId == communityId && s.Period == period);
        return signOffs >= options.Value.RequiredSignOffs ? MonthStatus.Audited : MonthStatus.Pending;
    }

    private bool HasUnansweredObjections(string communityId, Period period) =>
        db.RevenueObjections.Exists(o => o.CommunityId == communityId && o.Period == period && o.Answer == null);

    // ---- for the demo's history ----

    /// <summary>Appends a line as recorded by <paramref name="by"/>, numbered next; the month must be open.</summary>
    public LedgerLine Append(LedgerLine draft, string by)
    {
        lock (Writes)
        {
            if (IsClosed(draft.CommunityId, draft.Period))
                throw DomainProblem.Conflict("Month closed",
                    $"{draft.Period} is closed; correct it with a reversing line in an open month.");
            return db.InTransaction(() =>
            {
                var number = db.NextNumber($"revenue|{draft.CommunityId}");
                var line = draft with
                {
                    Id = LedgerLine.IdFor(draft.CommunityId, number), Number = number,
                    RecordedAt = time.GetUtcNow(), RecordedBy = by,
                };
                db.RevenueLines.Insert(line);
                return line;
            });
        }
    }

    // ---- rules ----

    private LedgerLine Draft(string communityId, NewLine r)
    {
        if (!Enum.TryParse<LineKind>(r.Kind, true, out var kind) || int.TryParse(r.Kind, out _))
            throw DomainProblem.Bad("Unknown kind", "kind is Income or Spending.");
        RevenueSource? source = kind == LineKind.Income ? Parse<RevenueSource>(r.Source, "source") : null;
        SpendingPurpose? purpose = kind == LineKind.Spending ? Parse<SpendingPurpose>(r.Purpose, "purpose") : null;
        if (r.Amount is not { } amount || amount <= 0 || amount != decimal.Round(amount, 2) || amount > 100_000_000m)
            throw DomainProblem.Bad("Bad amount", "amount is yuan above zero, to the fen (at most two decimals).");
        var proofs = r.Proofs ?? [];
        if (proofs.Length > 10 || proofs.Any(p => !uploads.IsProofOf(p, communityId)))
            throw DomainProblem.Bad("Unknown proof",
                "Upload each proof first (at most 10 per line), then name its id.");
        var counterparty = Text(r.Counterparty, "counterparty", "Name who paid or was paid.");
        var period = Month(r.Period);
        var note = r.Note is { Length: > MaxText }
            ? throw DomainProblem.Bad("Note too long", $"At most {MaxText} characters.")
            : r.Note?.Trim() ?? "";
        return new LedgerLine
        {
            Id = "", CommunityId = communityId, Number = 0, Kind = kind, Source = source, Purpose = purpose,
            Counterparty = counterparty, Period = period, Amount = amount, Note = note,
            Proofs = [.. proofs], RecordedAt = default, RecordedBy = "",
        };
    }

    private void MustAudit(ClaimsPrincipal user, string communityId)
    {
        user.MustBelongTo(communityId);
        if (!IsAuditor(user, communityId))
            throw DomainProblem.Forbidden("Auditors only",
                "The committee and the owners it appointed audit the accounts.");
    }

    private LedgerLine Line(string communityId, int number) =>
        db.RevenueLines.FindById(LedgerLine.IdFor(communityId, number))
            ?? throw DomainProblem.NotFound("No such line", $"There is no line {number} in the ledger.");

    private List<LedgerLine> LinesOf(string communityId, Period period) =>
        db.RevenueLines.Find(l => l.CommunityId == communityId && l.Period == period).OrderBy(l => l.Number).ToList();

    private bool IsClosed(string communityId, Period period) =>
        db.RevenueCloses.Exists(c => c.Id == MonthClose.IdFor(communityId, period));

    /// <summary>
    /// Every line of the months before <paramref name="period"/>: the month's opening. Months close in order, so for a
    /// month being closed this is the last closing balance.
    /// </summary>
    private decimal BalanceBefore(string communityId, Period period) =>
        db.RevenueLines.Find(l => l.CommunityId == communityId).Where(l => l.Period < period).Sum(l => l.Signed);

    private static decimal Sum(IEnumerable<LedgerLine> lines, LineKind kind) =>
        lines.Where(l => l.Kind == kind).Sum(l => l.Amount);

    private static SourceTotal[] Totals(IEnumerable<LedgerLine> lines, LineKind kind, Func<LedgerLine, string> key) =>
        [.. lines.Where(l => l.Kind == kind).GroupBy(key).Select(g => new SourceTotal(g.Key, g.Sum(l => l.Amount)))
            .Where(t => t.Amount != 0).OrderByDescending(t => t.Amount)];

    private static T Parse<T>(string? text, string name) where T : struct, Enum =>
        Enum.TryParse<T>(text, true, out var value) && !int.TryParse(text, out _) ? value
            : throw DomainProblem.Bad($"Unknown {name}", $"{name} is one of {string.Join(", ", Enum.GetNames<T>())}.");

    private Period Month(string? text) =>
        text is null ? Period.Current(time)
        : Period.TryParse(text, out var p) ? p
        : throw DomainProblem.Bad("Bad period", $"'{text}' is not a month like 2026-03.");

    private static string Text(string? text, string name, string detail) =>
        string.IsNullOrWhiteSpace(text) || text.Trim().Length > MaxText
            ? throw DomainProblem.Bad($"A {name} is needed", $"{detail} (at most {MaxText} characters)")
            : text.Trim();

    /// <summary>A spreadsheet cell: quoted, and never read as a formula.</summary>
    private static string Cell(string text)
    {
        var safe = text.Length > 0 && "=+-@\t\r".Contains(text[0]) ? "'" + text : text;
        return "\"" + safe.Replace("\"", "\"\"") + "\"";
    }
}
