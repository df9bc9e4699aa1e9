using System.Security.Cryptography;
using System.Text;
using Linli.Communities;
using Linli.People;

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

/// <summary>
/// Who is speaking: binds a channel identity to a unit once the resident proves it, as a property office would accept:
/// the unit, the phone number on file for it, and a one-time code sent to that phone.
/// </summary>
public sealed class ResidentDirectory(ICommunityStore communities, IPeopleStore people, IResidentBindingStore bindings,
    IBindingCodeStore codes, Sms.ISmsSender sender, TimeProvider time, IConfiguration configuration,
    Microsoft.Extensions.Options.IOptions<CodeLimits>? limits = null, ILogger<ResidentDirectory>? logger = null)
{
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);
    private const int MaxAttempts = 5;
    private readonly CodeLimits _limits = limits?.Value ?? new CodeLimits();
    /// <summary>
    /// Asking for, checking and using up codes happen one at a time, so parallel guesses cannot share a try.
    /// </summary>
    private readonly Lock _codes = new();
    private string? _default;

    /// <summary>
    /// The community this Linli's chat serves people who have not bound a flat yet ("Chat:CommunityId"; by default the
    /// first one). A property office running several estates gives each its own chat page and id.
    /// </summary>
    public string DefaultCommunityId => configuration["Chat:CommunityId"] is { Length: > 0 } configured
        ? configured
        : _default ??= communities.All().FirstOrDefault()?.Id ?? "";

    /// <summary>Who is speaking: their bound flat if any, and the community either way.</summary>
    public Speaker WhoIs(Bot.Schema.Activity activity)
    {
        var binding = BindingFor(activity.ChannelId ?? "", activity.From?.Id ?? "");
        return new Speaker(binding, binding?.CommunityId ?? DefaultCommunityId);
    }

    public static string Key(string channelId, string userId) => ResidentBinding.IdFor(channelId, userId);

    public ResidentBinding? BindingFor(string channelId, string userId) => bindings.Find(channelId, userId);

    /// <summary>
    /// The unit a label such as "3栋502" or "5栋1单元1203" names in a community (by default the chat's own), if
    /// any.
    /// </summary>
    public Unit? FindUnit(string label, string? communityId = null)
    {
        var at = label.IndexOf('栋');
        if (at <= 0 || !int.TryParse(label[..at], out var building)) return null;
        var room = label[(at + 1)..];
        if (room.Contains('单')) room = room[(room.IndexOf('元') + 1)..];
        return communities.FindUnit(communityId ?? DefaultCommunityId, building, room);
    }

    /// <summary>
    /// Sends a code when the phone is on file for someone living in or owning the flat. The answer is the same whether
    /// it is or not; codes are limited per flat, per phone and per <paramref name="requester"/> ("ip:…" for the
    /// sign-in page, the chat identity for the bot), counting every ask, answered or not.
    /// </summary>
    public async Task<CodeStart> StartAsync(string channelId, string userId, string unitLabel, string phone,
        string requester, CancellationToken cancellationToken)
    {
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        var masked = PhoneMask.Mask(digits);
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
                logger?.LogWarning("Code refused for {Unit}: too many asked (requester {Requester}); next in {Wait}",
                    unit.Id, requester, wait);
                return new CodeStart(CodeOutcome.Limited, masked, wait);
            }
            codes.ForgetRequestsBefore(now - TimeSpan.FromDays(1));
            codes.AddRequest(new CodeRequest
            {
                UnitId = unit.Id, PhoneHash = phoneHash, Requester = requester, At = now,
            });

            person = people.WithPhone(unit.CommunityId, digits)
                .FirstOrDefault(p => p.Units.Any(b => b.UnitId == unit.Id));
            // Not on file: a pending code that nothing can match, so what follows looks the same as for a real one.
            code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
            codes.SaveCode(new BindingCode
            {
                Id = Key(channelId, userId), CommunityId = unit.CommunityId, UnitId = unit.Id,
                PersonId = person?.Id ?? "", CodeHash = person is null ? "" : Hash(code),
                ExpiresAt = now + CodeLifetime,
            });
        }
        if (person is null) return new CodeStart(CodeOutcome.Sent, masked);
        try
        {
            await sender.SendCodeAsync(person.Phone, code, cancellationToken);
        }
        catch (Sms.SmsException)
        {
            lock (_codes) codes.DeleteCode(channelId, userId);
            return new CodeStart(CodeOutcome.Unavailable, masked);
        }
        return new CodeStart(CodeOutcome.Sent, masked);
    }

    /// <summary>How long until one more code may be asked for (zero: now).</summary>
    private TimeSpan Wait(string unitId, string phoneHash, string requester, DateTimeOffset now)
    {
        var recent = codes.RequestsSince(now - TimeSpan.FromDays(1), unitId, phoneHash, requester);
        var wait = TimeSpan.Zero;
        void Check(Func<CodeRequest, bool> counted, int perHour, int perDay)
        {
            var times = recent.Where(counted).Select(r => r.At).OrderDescending().ToList();
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
        bindings.Save(new ResidentBinding
        {
            Id = Key(channelId, userId), CommunityId = pending!.CommunityId, UnitId = pending.UnitId,
            PersonId = pending.PersonId, BoundAt = time.GetUtcNow(),
        });
        return VerificationResult.Bound;
    }

    /// <summary>
    /// Checks a typed code (at most 5 tries, 10 minutes) and uses it up; the pending code says whose it was. One check
    /// at a time: a try is counted before the next is read.
    /// </summary>
    public (VerificationResult Result, BindingCode? Code) Check(string channelId, string userId, string code)
    {
        lock (_codes)
        {
            var pending = codes.FindCode(channelId, userId);
            if (pending is null) return (VerificationResult.NoCodePending, null);
            if (pending.ExpiresAt < time.GetUtcNow() || pending.Attempts >= MaxAttempts)
            {
                codes.DeleteCode(channelId, userId);
                return (VerificationResult.Expired, null);
            }
            if (!Matches(pending, code))
            {
                codes.SaveCode(pending with { Attempts = pending.Attempts + 1 });
                return (VerificationResult.WrongCode, null);
            }
            codes.DeleteCode(channelId, userId);
            return (VerificationResult.Bound, pending);
        }
    }

    /// <summary>Whether the typed code is the one sent; none is, when none was sent.</summary>
    private static bool Matches(BindingCode pending, string typed)
    {
        var digits = new string(typed.Where(char.IsAsciiDigit).ToArray());
        return pending.CodeHash.Length > 0 && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Hash(digits)), Encoding.ASCII.GetBytes(pending.CodeHash));
    }

    private static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(code)));
}
