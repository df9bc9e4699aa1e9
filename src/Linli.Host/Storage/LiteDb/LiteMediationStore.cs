using LiteDB;
using Linli.Accounts;
using Linli.Mediation;

namespace Linli.Storage.LiteDb;

public sealed class LiteMediationStore(LinliDatabase db) : IMediationStore
{
    // A check and the write it allows go together: one such write at a time, each in its transaction (LiteDB reads
    // outside a write lock, so two transactions alone could both pass the check).
    private readonly Lock _writes = new();

    public MediationCase? Open(MediationCase draft, AuditEntry audit)
    {
        lock (_writes)
            return db.InTransaction<MediationCase?>(() =>
            {
                if (draft.TicketNumber is { } ticket && db.MediationCases.Exists(c =>
                        c.CommunityId == draft.CommunityId && c.TicketNumber == ticket))
                    return null;
                var year = MediationCase.YearOf(draft.OpenedAt);
                var number = MediationCase.NumberFor(year, db.NextNumber($"mediation|{draft.CommunityId}|{year}"));
                var opened = draft with { Id = MediationCase.IdFor(draft.CommunityId, number), Number = number };
                db.MediationCases.Insert(opened);
                db.AuditLog.Insert(audit with { Target = number });
                return opened;
            });
    }

    public MediationCase? Find(string communityId, string number) =>
        db.MediationCases.FindById(MediationCase.IdFor(communityId, number));

    public IReadOnlyList<MediationCase> List(string communityId) =>
        db.MediationCases.Query()
            .Where(c => c.CommunityId == communityId)
            .OrderByDescending(c => c.OpenedAt)
            .ToList();

    public IReadOnlyList<MediationCase> ForPerson(string communityId, string personId) =>
        [.. db.MediationCases.Find(BsonExpression.Create("$.Parties[*].PersonId ANY = @0", personId))
            .Where(c => c.CommunityId == communityId)
            .OrderByDescending(c => c.OpenedAt)];

    public bool TryUpdate(MediationCase changed, int expectedVersion, AuditEntry audit)
    {
        lock (_writes)
            return db.InTransaction(() =>
            {
                if (db.MediationCases.FindById(changed.Id) is not { } stored
                    || stored.CommunityId != changed.CommunityId || stored.Version != expectedVersion)
                    return false;
                db.MediationCases.Update(changed);
                db.AuditLog.Insert(audit);
                return true;
            });
    }
}
