using System.Globalization;
using Linli.Calendar;
using Linli.PublicRevenue;

namespace Linli.Storage.LiteDb;

public sealed class LiteRevenueStore(LinliDatabase db) : IRevenueStore
{
    // A check and the write it allows go together: one such write at a time, each in its transaction (LiteDB reads
    // outside a write lock, so two transactions alone could both pass the check).
    private readonly Lock _writes = new();

    public LedgerLine? TryAppend(LedgerLine draft)
    {
        lock (_writes)
            return db.InTransaction<LedgerLine?>(() =>
            {
                if (FindClose(draft.CommunityId, draft.Period) is not null) return null;
                var number = db.NextNumber(Counter(draft.CommunityId));
                var line = draft with { Id = LedgerLine.IdFor(draft.CommunityId, number), Number = number };
                db.RevenueLines.Insert(line);
                return line;
            });
    }

    public int LastNumber(string communityId)
    {
        // Read with the writes: LiteDB 5 loses the settings collection when a transaction creates it (a fresh
        // database's first number) while another thread reads it.
        lock (_writes)
            return Last(communityId);
    }

    public LedgerLine? FindLine(string communityId, int number) =>
        db.RevenueLines.FindById(LedgerLine.IdFor(communityId, number));

    public IReadOnlyList<LedgerLine> Lines(string communityId, Period from, Period to) =>
        db.RevenueLines.Query()
            .Where(l => l.CommunityId == communityId && l.Period >= from && l.Period <= to)
            .OrderBy(l => l.Number)
            .ToList();

    public decimal BalanceBefore(string communityId, Period period) =>
        db.RevenueLines.Query()
            .Where(l => l.CommunityId == communityId && l.Period < period)
            .ToEnumerable()
            .Sum(l => l.Signed);

    public Period? FirstOpenMonthBefore(string communityId, Period period)
    {
        var closed = db.RevenueCloses.Query()
            .Where(c => c.CommunityId == communityId && c.Period < period)
            .ToEnumerable()
            .Select(c => c.Period)
            .ToHashSet();
        return db.RevenueLines.Query()
            .Where(l => l.CommunityId == communityId && l.Period < period)
            .ToEnumerable()
            .Select(l => l.Period)
            .Where(p => !closed.Contains(p))
            .Order()
            .Select(p => (Period?)p)
            .FirstOrDefault();
    }

    public bool TryClose(MonthClose close, int throughNumber)
    {
        lock (_writes)
            return db.InTransaction(() =>
            {
                if (db.RevenueCloses.FindById(close.Id) is not null) return false;
                if (Last(close.CommunityId) != throughNumber) return false;
                db.RevenueCloses.Insert(close);
                return true;
            });
    }

    public MonthClose? FindClose(string communityId, Period period) =>
        db.RevenueCloses.FindById(MonthClose.IdFor(communityId, period));

    public MonthClose? LatestClose(string communityId) =>
        db.RevenueCloses.Query()
            .Where(c => c.CommunityId == communityId)
            .OrderByDescending(c => c.Period)
            .FirstOrDefault();

    public bool TryAddSignOff(SignOff signOff)
    {
        lock (_writes)
            return db.InTransaction(() =>
            {
                if (db.RevenueSignOffs.FindById(signOff.Id) is not null) return false;
                db.RevenueSignOffs.Insert(signOff);
                return true;
            });
    }

    public IReadOnlyList<SignOff> SignOffs(string communityId, Period period) =>
        db.RevenueSignOffs.Query()
            .Where(s => s.CommunityId == communityId && s.Period == period)
            .OrderBy(s => s.At)
            .ToList();

    public Objection AddObjection(Objection draft) =>
        draft with { Id = db.RevenueObjections.Insert(draft with { Id = 0 }).AsInt32 };

    public Objection? FindObjection(string communityId, int id) =>
        db.RevenueObjections.FindById(id) is { } objection && objection.CommunityId == communityId
            ? objection
            : null;

    public IReadOnlyList<Objection> Objections(string communityId, Period period) =>
        db.RevenueObjections.Query()
            .Where(o => o.CommunityId == communityId && o.Period == period)
            .OrderBy(o => o.Id)
            .ToList();

    public bool TryAnswer(Objection answered)
    {
        lock (_writes)
            return db.InTransaction(() =>
            {
                if (FindObjection(answered.CommunityId, answered.Id) is not { Answer: null }) return false;
                db.RevenueObjections.Update(answered);
                return true;
            });
    }

    public void SaveAuditor(Auditor auditor) => db.RevenueAuditors.Upsert(auditor);

    public bool IsAuditor(string communityId, string personId) =>
        db.RevenueAuditors.FindById(Auditor.KeyFor(communityId, personId)) is not null;

    public IReadOnlyList<Auditor> Auditors(string communityId) =>
        db.RevenueAuditors.Query()
            .Where(a => a.CommunityId == communityId)
            .OrderBy(a => a.At)
            .ToList();

    private int Last(string communityId) =>
        db.Settings.FindById(Counter(communityId)) is { } counter
            ? int.Parse(counter.Value, CultureInfo.InvariantCulture)
            : 0;

    /// <summary>The counter the community's line numbers come from (kept by <see cref="Counters"/>).</summary>
    private static string Counter(string communityId) => $"revenue|{communityId}";
}
