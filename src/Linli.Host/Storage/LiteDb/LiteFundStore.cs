using System.Globalization;
using Linli.MaintenanceFund;

namespace Linli.Storage.LiteDb;

public sealed class LiteFundStore(LinliDatabase db) : IFundStore
{
    // A check and the write it allows go together: one such write at a time, each in its transaction (LiteDB reads
    // outside a write lock, so two transactions alone could both pass the check).
    private readonly Lock _writes = new();

    public FundEntry Append(FundEntry draft)
    {
        lock (_writes)
            return db.InTransaction(() => Insert(draft));
    }

    public FundEntry? TryAppend(FundEntry draft, int afterNumber)
    {
        lock (_writes)
            return db.InTransaction<FundEntry?>(() =>
                Last(EntryCounter(draft.CommunityId)) == afterNumber ? Insert(draft) : null);
    }

    public int LastNumber(string communityId)
    {
        // Counters are read with the writes: LiteDB 5 loses the settings collection when a transaction creates it
        // (a fresh database's first number) while another thread reads it.
        lock (_writes)
            return Last(EntryCounter(communityId));
    }

    public IReadOnlyList<FundEntry> Entries(string communityId) =>
        db.FundEntries.Query().Where(e => e.CommunityId == communityId).OrderBy(e => e.Number).ToList();

    public IReadOnlyList<FundEntry> Latest(string communityId, int take) =>
        db.FundEntries.Query()
            .Where(e => e.CommunityId == communityId)
            .OrderByDescending(e => e.Number)
            .Limit(take)
            .ToList();

    public decimal TotalFor(string communityId, string applicationNumber) =>
        db.FundEntries.Query()
            .Where(e => e.CommunityId == communityId && e.Application == applicationNumber)
            .ToEnumerable()
            .Sum(e => e.Amount);

    public int LastApplicationSequence(string communityId, int year)
    {
        lock (_writes)
            return Last(ApplicationCounter(communityId, year));
    }

    public bool TryAddApplication(FundApplication application, int year, int sequence)
    {
        var counter = ApplicationCounter(application.CommunityId, year);
        lock (_writes)
            return db.InTransaction(() =>
            {
                if (Last(counter) != sequence - 1 || db.FundApplications.FindById(application.Id) is not null)
                    return false;
                db.NextNumber(counter);
                db.FundApplications.Insert(application);
                return true;
            });
    }

    public FundApplication? FindApplication(string communityId, string number) =>
        db.FundApplications.FindById(FundApplication.IdFor(communityId, number));

    public IReadOnlyList<FundApplication> Applications(string communityId) =>
        db.FundApplications.Query()
            .Where(a => a.CommunityId == communityId)
            .OrderByDescending(a => a.At)
            .ToList();

    public FundApplication? TryConfirm(string communityId, string number, string by, DateTimeOffset at)
    {
        lock (_writes)
            return db.InTransaction<FundApplication?>(() =>
            {
                if (FindApplication(communityId, number) is not { ConfirmedAt: null } application) return null;
                var confirmed = application with { ConfirmedBy = by, ConfirmedAt = at };
                db.FundApplications.Update(confirmed);
                return confirmed;
            });
    }

    private FundEntry Insert(FundEntry draft)
    {
        var number = db.NextNumber(EntryCounter(draft.CommunityId));
        var entry = draft with { Id = FundEntry.IdFor(draft.CommunityId, number), Number = number };
        db.FundEntries.Insert(entry);
        return entry;
    }

    private int Last(string counter) =>
        db.Settings.FindById(counter) is { } found ? int.Parse(found.Value, CultureInfo.InvariantCulture) : 0;

    // The counters the numbers come from (kept by Counters), as the demo's history set them.
    private static string EntryCounter(string communityId) => $"fund|{communityId}";

    private static string ApplicationCounter(string communityId, int year) => $"fund-application|{communityId}|{year}";
}
