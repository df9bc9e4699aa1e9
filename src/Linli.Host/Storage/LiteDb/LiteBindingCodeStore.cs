using Linli.Residents;

namespace Linli.Storage.LiteDb;

public sealed class LiteBindingCodeStore(LinliDatabase db) : IBindingCodeStore
{
    public BindingCode? FindCode(string channelId, string userId) =>
        db.BindingCodes.FindById(ResidentBinding.IdFor(channelId, userId));

    public void SaveCode(BindingCode code) => db.BindingCodes.Upsert(code);

    public void DeleteCode(string channelId, string userId) =>
        db.BindingCodes.Delete(ResidentBinding.IdFor(channelId, userId));

    public void AddRequest(CodeRequest request) => db.CodeRequests.Upsert(request);

    public IReadOnlyList<CodeRequest> RequestsSince(DateTimeOffset since, string unitId, string phoneHash,
        string requester) =>
        db.CodeRequests.Query()
            .Where(r => r.At > since && (r.UnitId == unitId || r.PhoneHash == phoneHash || r.Requester == requester))
            .OrderByDescending(r => r.At)
            .ToList();

    public void ForgetRequestsBefore(DateTimeOffset cutoff) => db.CodeRequests.DeleteMany(r => r.At < cutoff);
}
