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
/// What asking for a code came to. <see cref="CodeOutcome.Sent"/> is also the answer when the phone is not on file for
/// the flat (no code goes out then, and none can be right): the answer never tells whose number is on file.
/// </summary>
public enum CodeOutcome { Sent, NoSuchFlat, Limited, Unavailable }

/// <param name="MaskedPhone">The typed number, masked: what the page may say the code went to.</param>
/// <param name="RetryAfter">When limited, how long until another code may be asked for.</param>
public sealed record CodeStart(CodeOutcome Outcome, string MaskedPhone, TimeSpan RetryAfter = default);

/// <summary>"Residents:Codes": how many one-time codes may be asked for, per flat, per phone and per requester.</summary>
public sealed class CodeLimits
{
    public const string SectionName = "Residents:Codes";
    public int PerFlatPerHour { get; set; } = 5;
    public int PerFlatPerDay { get; set; } = 10;
    public int PerPhonePerHour { get; set; } = 5;
    public int PerPhonePerDay { get; set; } = 10;
    /// <summary>A client address (the sign-in page) or a chat user: higher, as an office or a family may share one address.</summary>
    public int PerRequesterPerHour { get; set; } = 10;
    public int PerRequesterPerDay { get; set; } = 30;
}

/// <summary>
/// Who is speaking: binds a channel identity to a unit once the resident proves it, as a property office would accept:
/// the unit, the phone number on file for it, and a one-time code sent to that phone.
/// </summary>
public sealed class ResidentDirectory(LinliDatabase db, Sms.ISmsSender sender, TimeProvider time, IConfiguration configuration,
    Microsoft.Extensions.Options.IOptions<CodeLimits>? limits = null, ILogger<ResidentDirectory>? logger = null)
{
    private readonly CodeLimits _limits = limits?.Value ?? new CodeLimits();
    /// <summary>Asking for, checking and using up codes happen one at a time, so parallel guesses cannot share a try.</summary>
    private readonly Lock _codes = new();

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

    /// <summary>
    /// Sends a code when the phone is on file for someone living in or owning the flat. The answer is the same whether it
    /// is or not; codes are limited per flat, per phone and per <paramref name="requester"/> ("ip:…" for the sign-in page,
    /// the chat identity for the bot), counting every ask, answered or not.
    /// </summary>
    public async Task<CodeStart> StartAsync(string channelId, string userId, string unitLabel, string phone, string requester,
        CancellationToken cancellationToken)
    {
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        var masked = People.PhoneMask.Mask(digits);
        var unit = FindUnit(unitLabel);
        if (unit is null || digits.Length < 7) return new CodeStart(CodeOutcome.NoSuchFlat, masked);

        var now = time.GetUtcNow();
        var phoneHash = Hash(digits);
        Person? person;
        string code;
        lock (_codes)
        {
            var wait = Wait(unit.Id, phoneHash, requester, now);
            if (wait > TimeSpan.Zero)
            {
                logger?.LogWarning("Code refused for {Unit}: too many asked (requester {Requester}); next in {Wait}", unit.Id, requester, wait);
                return new CodeStart(CodeOutcome.Limited, masked, wait);
            }
            db.CodeRequests.DeleteMany(r => r.At < now - TimeSpan.FromDays(1));
            db.CodeRequests.Insert(new CodeRequest { UnitId = unit.Id, PhoneHash = phoneHash, Requester = requester, At = now });

            person = db.People.Find(p => p.Phone == digits).FirstOrDefault(p => p.Units.Any(b => b.UnitId == unit.Id));
            // Not on file: a pending code that nothing can match, so what follows looks the same as for a real one.
            code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
            db.BindingCodes.Upsert(new BindingCode
            {
                Id = Key(channelId, userId), CommunityId = unit.CommunityId, UnitId = unit.Id, PersonId = person?.Id ?? "",
                CodeHash = person is null ? "" : Hash(code), ExpiresAt = now + CodeLifetime,
            });
        }
        if (person is null) return new CodeStart(CodeOutcome.Sent, masked);
        try
        {
            await sender.SendCodeAsync(person.Phone, code, cancellationToken);
        }
        catch (Sms.SmsException)
        {
            lock (_codes) db.BindingCodes.Delete(Key(channelId, userId));
            return new CodeStart(CodeOutcome.Unavailable, masked);
        }
        return new CodeStart(CodeOutcome.Sent, masked);
    }

    /// <summary>How long until one more code may be asked for (zero: now).</summary>
    private TimeSpan Wait(string unitId, string phoneHash, string requester, DateTimeOffset now)
    {
        var dayAgo = now - TimeSpan.FromDays(1);
        var recent = db.CodeRequests.Find(r => r.At > dayAgo && (r.UnitId == unitId || r.PhoneHash == phoneHash || r.Requester == requester)).ToList();
        var wait = TimeSpan.Zero;
        void Check(Func<CodeRequest, bool> mine, int perHour, int perDay)
        {
            var times = recent.Where(mine).Select(r => r.At).OrderDescending().ToList();
            if (times.Count >= perDay) wait = Max(wait, times[perDay - 1] + TimeSpan.FromDays(1) - now);
            var hour = times.Where(t => t > now - TimeSpan.FromHours(1)).ToList();
            if (hour.Count >= perHour) wait = Max(wait, hour[perHour - 1] + TimeSpan.FromHours(1) - now);
        }
        Check(r => r.UnitId == unitId, _limits.PerFlatPerHour, _limits.PerFlatPerDay);
        Check(r => r.PhoneHash == phoneHash, _limits.PerPhonePerHour, _limits.PerPhonePerDay);
        Check(r => r.Requester == requester, _limits.PerRequesterPerHour, _limits.PerRequesterPerDay);
        return wait;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

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

    /// <summary>
    /// Checks a typed code (at most 5 tries, 10 minutes) and uses it up; the pending code says whose it was. One check at
    /// a time: a try is counted before the next is read.
    /// </summary>
    public (VerificationResult Result, BindingCode? Code) Check(string channelId, string userId, string code)
    {
        var key = Key(channelId, userId);
        lock (_codes)
        {
            var pending = db.BindingCodes.FindById(key);
            if (pending is null) return (VerificationResult.NoCodePending, null);
            if (pending.ExpiresAt < time.GetUtcNow() || pending.Attempts >= MaxAttempts)
            {
                db.BindingCodes.Delete(key);
                return (VerificationResult.Expired, null);
            }
            var typed = new string(code.Where(char.IsAsciiDigit).ToArray());
            if (pending.CodeHash.Length == 0
                || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(typed)), Encoding.ASCII.GetBytes(pending.CodeHash)))
            {
                db.BindingCodes.Update(pending with { Attempts = pending.Attempts + 1 });
                return (VerificationResult.WrongCode, null);
            }
            db.BindingCodes.Delete(key);
            return (VerificationResult.Bound, pending);
        }
    }

    private static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(code)));
}
