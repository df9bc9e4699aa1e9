using Linli.People;
using Linli.Residents;
using Linli.Seeding;
using Linli.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.Residents;

public sealed class ResidentDirectoryTests : IDisposable
{
    private sealed class Codes : ICodeSender
    {
        public List<(string Phone, string Code)> Sent { get; } = [];
        public Task SendAsync(string phone, string code, CancellationToken ct) { Sent.Add((phone, code)); return Task.CompletedTask; }
    }

    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 20, 2, 0, 0, TimeSpan.Zero));
    private readonly Codes _codes = new();
    private readonly ResidentDirectory _residents;
    private readonly Person _owner;

    public ResidentDirectoryTests()
    {
        new DemoSeeder(_db, Options.Create(new DemoOptions { RandomSeed = 5, LastPeriod = "2026-10" }), _time, NullLogger<DemoSeeder>.Instance).SeedIfEmpty();
        _residents = new ResidentDirectory(_db, _codes, _time, new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        var unit = _residents.FindUnit("3栋502")!;
        _owner = _db.People.FindAll().First(p => p.Units.Any(b => b.UnitId == unit.Id && b.Relation == UnitRelation.Owner));
    }

    public void Dispose() => _db.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheRightPhoneGetsACodeAndTheCodeBindsOnce()
    {
        Assert.NotNull(await _residents.StartAsync("directline", "u1", "3栋502", _owner.Phone, Ct));
        var (phone, code) = Assert.Single(_codes.Sent);
        Assert.Equal(_owner.Phone, phone);

        Assert.Equal(VerificationResult.Bound, _residents.Verify("directline", "u1", code));
        Assert.Equal(_owner.Id, _residents.BindingFor("directline", "u1")!.PersonId);
        Assert.Equal(VerificationResult.NoCodePending, _residents.Verify("directline", "u1", code));
        Assert.Null(_residents.BindingFor("directline", "someone-else"));
    }

    [Fact]
    public async Task AnotherFlatsPhoneOrAnUnknownFlatSendsNothing()
    {
        var other = _db.People.FindAll().First(p => p.Units.Count > 0 && p.Units.All(b => b.UnitId != _residents.FindUnit("3栋502")!.Id));
        Assert.Null(await _residents.StartAsync("directline", "u1", "3栋502", other.Phone, Ct));
        Assert.Null(await _residents.StartAsync("directline", "u1", "9栋9999", _owner.Phone, Ct));
        Assert.Empty(_codes.Sent);
    }

    [Fact]
    public async Task CodesExpireAndWrongGuessesRunOut()
    {
        await _residents.StartAsync("directline", "u1", "3栋502", _owner.Phone, Ct);
        _time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(VerificationResult.Expired, _residents.Verify("directline", "u1", _codes.Sent[0].Code));

        await _residents.StartAsync("directline", "u1", "3栋502", _owner.Phone, Ct);
        var right = _codes.Sent[1].Code;
        var wrong = right == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++) Assert.Equal(VerificationResult.WrongCode, _residents.Verify("directline", "u1", wrong));
        Assert.Equal(VerificationResult.Expired, _residents.Verify("directline", "u1", right));
        Assert.Null(_residents.BindingFor("directline", "u1"));
    }

    [Fact]
    public async Task OnlyTheHashOfACodeIsStored()
    {
        await _residents.StartAsync("directline", "u1", "3栋502", _owner.Phone, Ct);
        var stored = _db.GetCollection("binding_codes").FindAll().Single().ToString();
        Assert.DoesNotContain(_codes.Sent[0].Code, stored);
    }
}
