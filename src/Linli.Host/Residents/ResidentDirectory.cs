using System.Security.Cryptography;
using System.Text;
using Linli.Communities;
using Linli.People;
using Linli.Storage;

namespace Linli.Residents;

public sealed record Speaker(ResidentBinding? Binding, string CommunityId)
{
    public string? UnitId => Binding?.UnitId;
    public string? PersonId => Binding?.PersonId;
}

public enum VerificationResult { Bound, WrongCode, Expired, NoCodePending }

/// <summary>
/// Who is speaking: binds a channel identity to a unit once the resident proves it, as a property office would accept:
/// the unit, the phone number on file for it, and a one-time code sent to that phone.
/// </summary>
public sealed class ResidentDirectory(LinliDatabase db, ICodeSender sender, TimeProvider time, IConfiguration configuration)
{
    /// <summary>
    /// The community this Linli's chat serves people who have not bound a flat yet ("Chat:CommunityId"; by default the
    /// first one). A property office running several estates gives each its own chat page and id.
    /// </summary>
    public string DefaultCommunityId => configuration["Chat:CommunityId"] is { Length: > 0 } configured
        ? configured
        : _default ??= db.Communities.Query().OrderBy(c => c.Id).Select(c => c.Id).FirstOrDefault() ?? "";
    private string? _default;

    /// <summary>Who is speaking: their bound flat if any, and the community either way.</summary>
    public Speaker WhoIs(Bot.Schema.Activity activity)
    {
        var binding = BindingFor(activity.ChannelId ?? "", activity.From?.Id ?? "");
        return new Speaker(binding, binding?.CommunityId ?? DefaultCommunityId);
    }

    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);
    private const int MaxAttempts = 5;

    public static string Key(string channelId, string userId) => $"{channelId}|{userId}";

    public ResidentBinding? BindingFor(string channelId, string userId) => db.ResidentBindings.FindById(Key(channelId, userId));

    /// <summary>The unit a label such as "3栋502" or "5栋1单元1203" names in a community (by default the chat's own), if any.</summary>
    public Unit? FindUnit(string label, string? communityId = null)
    {
        var at = label.IndexOf('栋');
        if (at <= 0 || !int.TryParse(label[..at], out var building)) return null;
        var room = label[(at + 1)..];
        if (room.Contains('单')) room = room[(room.IndexOf('元') + 1)..];
        var community = communityId ?? DefaultCommunityId;
        return db.Units.FindOne(u => u.BuildingNumber == building && u.Room == room && u.CommunityId == community);
    }

    /// <summary>Sends a code when the phone is on file for someone living in or owning the unit; false otherwise (and nothing is said about who is on file).</summary>
    public async Task<Person?> StartAsync(string channelId, string userId, string unitLabel, string phone, CancellationToken cancellationToken)
    {
        var unit = FindUnit(unitLabel);
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        if (unit is null || digits.Length < 7) return null;
        var person = db.People.Find(p => p.Phone == digits).FirstOrDefault(p => p.Units.Any(b => b.UnitId == unit.Id));
        if (person is null) return null;

        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
        db.BindingCodes.Upsert(new BindingCode
        {
            Id = Key(channelId, userId), CommunityId = unit.CommunityId, UnitId = unit.Id, PersonId = person.Id,
            CodeHash = Hash(code), ExpiresAt = time.GetUtcNow() + CodeLifetime,
        });
        await sender.SendAsync(person.Phone, code, cancellationToken);
        return person;
    }

    public VerificationResult Verify(string channelId, string userId, string code)
    {
        var (result, pending) = Check(channelId, userId, code);
        if (result != VerificationResult.Bound) return result;
        db.ResidentBindings.Upsert(new ResidentBinding
        {
            Id = Key(channelId, userId), CommunityId = pending!.CommunityId, UnitId = pending.UnitId, PersonId = pending.PersonId, BoundAt = time.GetUtcNow(),
        });
        return VerificationResult.Bound;
    }

    /// <summary>Checks a typed code (at most 5 tries, 10 minutes) and uses it up; the pending code says whose it was.</summary>
    public (VerificationResult Result, BindingCode? Code) Check(string channelId, string userId, string code)
    {
        var key = Key(channelId, userId);
        var pending = db.BindingCodes.FindById(key);
        if (pending is null) return (VerificationResult.NoCodePending, null);
        if (pending.ExpiresAt < time.GetUtcNow() || pending.Attempts >= MaxAttempts)
        {
            db.BindingCodes.Delete(key);
            return (VerificationResult.Expired, null);
        }
        var typed = new string(code.Where(char.IsAsciiDigit).ToArray());
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(typed)), Encoding.ASCII.GetBytes(pending.CodeHash)))
        {
            db.BindingCodes.Update(pending with { Attempts = pending.Attempts + 1 });
            return (VerificationResult.WrongCode, null);
        }
        db.BindingCodes.Delete(key);
        return (VerificationResult.Bound, pending);
    }

    private static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(code)));
}
