using Linli.People;
using Linli.Residents;
using Linli.Residents.Sms;
using Linli.Seeding;
using Linli.Storage;
using Linli.Storage.LiteDb;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.Residents;

public sealed class ResidentDirectoryTests : IDisposable
{
    private sealed class Codes : ISmsSender
    {
        public List<(string Phone, string Code)> Sent { get; } = [];

        public Task SendCodeAsync(string phone, string code, CancellationToken ct)
        {
            lock (Sent) Sent.Add((phone, code));
            return Task.CompletedTask;
        }
    }

    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 20, 2, 0, 0, TimeSpan.Zero));
    private readonly Codes _codes = new();
    private readonly ResidentDirectory _residents;
    private readonly Person _owner;

    public ResidentDirectoryTests()
    {
        DemoSeeder.Standalone(_db, new DemoOptions { RandomSeed = 5, LastPeriod = "2026-10" }, _time)
            .SeedIfEmpty();
        _residents = new ResidentDirectory(new LiteCommunityStore(_db), new LitePeopleStore(_db),
            new LiteResidentBindingStore(_db), new LiteBindingCodeStore(_db), _codes, _time,
            new ConfigurationBuilder().Build());
        var unit = _residents.FindUnit("3栋502")!;
        _owner = _db.People.FindAll()
            .First(p => p.Units.Any(b => b.UnitId == unit.Id && b.Relation == UnitRelation.Owner));
    }

    public void Dispose() => _db.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<CodeStart> StartAsync(string user, string flat, string phone, string requester = "ip:10.0.0.1") =>
        _residents.StartAsync("directline", user, flat, phone, requester, Ct);

    private VerificationResult Verify(string user, string code) => _residents.Verify("directline", user, code);

    [Fact]
    public async Task TheRightPhoneGetsACodeAndTheCodeBindsOnce()
    {
        Assert.Equal(CodeOutcome.Sent, (await StartAsync("u1", "3栋502", _owner.Phone)).Outcome);
        var (phone, code) = Assert.Single(_codes.Sent);
        Assert.Equal(_owner.Phone, phone);

        Assert.Equal(VerificationResult.Bound, Verify("u1", code));
        Assert.Equal(_owner.Id, _residents.BindingFor("directline", "u1")!.PersonId);
        Assert.Equal(VerificationResult.NoCodePending, Verify("u1", code));
        Assert.Null(_residents.BindingFor("directline", "someone-else"));
    }

    [Fact]
    public async Task AnotherFlatsPhoneGetsTheSameAnswerButNoCodeAndNoCodeCanBind()
    {
        var flat = _residents.FindUnit("3栋502")!.Id;
        var other = _db.People.FindAll().First(p => p.Units.Count > 0 && p.Units.All(b => b.UnitId != flat));
        var right = await StartAsync("u0", "3栋502", _owner.Phone);
        var wrong = await StartAsync("u1", "3栋502", other.Phone);
        Assert.Equal((right.Outcome, PhoneMask.Mask(other.Phone)), (wrong.Outcome, wrong.MaskedPhone));
        Assert.Single(_codes.Sent);   // the owner's only
        foreach (var guess in new[] { "000000", "123456", _codes.Sent[0].Code })
            Assert.Equal(VerificationResult.WrongCode, Verify("u1", guess));
        Assert.Null(_residents.BindingFor("directline", "u1"));
        Assert.Equal(CodeOutcome.NoSuchFlat, (await StartAsync("u1", "9栋9999", _owner.Phone)).Outcome);
    }

    [Fact]
    public async Task CodesExpireAndWrongGuessesRunOut()
    {
        await StartAsync("u1", "3栋502", _owner.Phone);
        _time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(VerificationResult.Expired, Verify("u1", _codes.Sent[0].Code));

        await StartAsync("u1", "3栋502", _owner.Phone);
        var right = _codes.Sent[1].Code;
        var wrong = right == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++) Assert.Equal(VerificationResult.WrongCode, Verify("u1", wrong));
        Assert.Equal(VerificationResult.Expired, Verify("u1", right));
        Assert.Null(_residents.BindingFor("directline", "u1"));
    }

    [Fact]
    public async Task ParallelGuessesGetFiveTriesBetweenThem()
    {
        await StartAsync("u1", "3栋502", _owner.Phone);
        var right = _codes.Sent[0].Code;
        var guesses = Enumerable.Range(0, 200).Select(i => i.ToString("D6")).Where(g => g != right).ToList();
        var results = await Task.WhenAll(guesses.Select(g => Task.Run(() => Verify("u1", g), Ct)));
        Assert.Equal(5, results.Count(r => r == VerificationResult.WrongCode));
        Assert.Equal(VerificationResult.NoCodePending, Verify("u1", right));
    }

    [Fact]
    public async Task TwentyRestartsOfOneFlatsSignInSendAtMostTheLimit()
    {
        var outcomes = new List<CodeStart>();
        // From twenty different addresses and chats: the flat's and the phone's own limits hold.
        for (var i = 0; i < 20; i++) outcomes.Add(await StartAsync($"u{i}", "3栋502", _owner.Phone, $"ip:10.0.0.{i}"));
        Assert.Equal(5, _codes.Sent.Count);
        var limited = outcomes.Where(o => o.Outcome == CodeOutcome.Limited).ToList();
        Assert.Equal(15, limited.Count);
        Assert.All(limited, o => Assert.InRange(o.RetryAfter, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1)));

        // An hour later five more, then the day's ten are spent until the first ones are a day old.
        _time.Advance(TimeSpan.FromMinutes(61));
        for (var i = 0; i < 8; i++) await StartAsync($"v{i}", "3栋502", _owner.Phone, $"ip:10.0.1.{i}");
        Assert.Equal(10, _codes.Sent.Count);
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(CodeOutcome.Limited, (await StartAsync("w", "3栋502", _owner.Phone, "ip:10.0.2.1")).Outcome);
        _time.Advance(TimeSpan.FromHours(21));
        Assert.Equal(CodeOutcome.Sent, (await StartAsync("w", "3栋502", _owner.Phone, "ip:10.0.2.1")).Outcome);
        Assert.Equal(11, _codes.Sent.Count);
    }

    [Fact]
    public async Task OneAddressCannotWalkThroughManyFlats()
    {
        var residents = _db.People.FindAll().Where(p => p.Units.Count > 0 && !p.IsOrganization)
            .DistinctBy(p => p.Units[0].UnitId).Take(15).ToList();
        var outcomes = new List<CodeOutcome>();
        foreach (var person in residents)
        {
            var flat = _db.Units.FindById(person.Units[0].UnitId).Label;
            outcomes.Add((await StartAsync("u", flat, person.Phone, "ip:203.0.113.9")).Outcome);
        }
        Assert.Equal(10, outcomes.Count(o => o == CodeOutcome.Sent));
        Assert.Equal(5, outcomes.Count(o => o == CodeOutcome.Limited));
    }

    [Fact]
    public async Task AsksStoredWithLiteDbIdsBeforeStillCount()
    {
        // Files written before ids were made by the application hold asks keyed by an ObjectId.
        for (var i = 0; i < 5; i++) await StartAsync($"u{i}", "3栋502", _owner.Phone, $"ip:10.0.0.{i}");
        var asks = _db.GetCollection("code_requests");
        foreach (var ask in asks.FindAll().ToList())
        {
            asks.Delete(ask["_id"]);
            ask["_id"] = LiteDB.ObjectId.NewObjectId();
            asks.Insert(ask);
        }
        Assert.All(asks.FindAll(), a => Assert.True(a["_id"].IsObjectId));

        Assert.Equal(CodeOutcome.Limited, (await StartAsync("v", "3栋502", _owner.Phone, "ip:10.0.9.9")).Outcome);
        Assert.All(_db.CodeRequests.FindAll(), r => Assert.Matches("^[0-9a-f]{24}$", r.Id));
    }

    [Fact]
    public async Task OnlyTheHashOfACodeIsStored()
    {
        await StartAsync("u1", "3栋502", _owner.Phone);
        var stored = _db.GetCollection("binding_codes").FindAll().Single().ToString();
        Assert.DoesNotContain(_codes.Sent[0].Code, stored);
        Assert.DoesNotContain(_owner.Phone, _db.GetCollection("code_requests").FindAll().Single().ToString());
    }
}
