using Linli.Calendar;
using Linli.Fees.Payments;
using Linli.Residents;
using Linli.Storage.LiteDb;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Linli.Seeding;

/// <summary>
/// Writes the demo community (and, for benchmarks, synthetic ones) into an empty database, once.
/// It never touches a database that already holds communities, seeded or real. The demo goes in one
/// transaction with its marker, so a crash leaves nothing half-seeded.
/// </summary>
/// <param name="payments">
/// The ledger the demo's sample WeChat statement is imported through, as the office does.
/// </param>
public sealed class DemoSeeder(LinliDatabase db, IOptions<DemoOptions> options, TimeProvider time,
    ILogger<DemoSeeder> logger, PaymentLedger payments)
{
    public const string SeedId = "demo";

    /// <summary>The WeChat Pay statement the demo imports after its bills (samples/payments, copied beside the app).
    /// </summary>
    public static string SampleStatement =>
        Path.Combine(AppContext.BaseDirectory, "samples", "payments", "wechat-demo.csv");

    /// <summary>
    /// A seeder outside the app (tests, benchmarks): its ledger finds flats in the database alone and sends nothing.
    /// </summary>
    public static DemoSeeder Standalone(LinliDatabase db, DemoOptions options, TimeProvider time)
    {
        var noSms = new Residents.Sms.NoSmsSender(NullLogger<Residents.Sms.NoSmsSender>.Instance);
        var residents = new ResidentDirectory(new LiteCommunityStore(db), new LitePeopleStore(db),
            new LiteResidentBindingStore(db), new LiteBindingCodeStore(db), noSms, time,
            new ConfigurationBuilder().Build());
        return new DemoSeeder(db, Options.Create(options), time, NullLogger<DemoSeeder>.Instance,
            new PaymentLedger(new LitePaymentStore(db), new LiteFeeStore(db), residents, time));
    }

    /// <returns>True when this call seeded the database.</returns>
    public bool SeedIfEmpty()
    {
        var o = options.Value;
        if (o.Seed == false) return false;
        if (db.Seeds.FindById(SeedId) is not null || db.Communities.Count() > 0) return false;

        var last = string.IsNullOrEmpty(o.LastPeriod) ? Period.Current(time).AddMonths(-1) : Period.Parse(o.LastPeriod);
        var data = DemoCommunity.Generate(o.RandomSeed, last);
        Insert(data, new SeedRecord { Id = SeedId, RandomSeed = o.RandomSeed, LastPeriod = last, SeededAt = time.GetUtcNow() });
        logger.LogInformation(
            "Seeded demo community {Name} ({Id}): {Units} units, {People} people, {Bills} bills to {Last}",
            data.Community.Name, data.Community.Id, data.Units.Count, data.People.Count, data.Bills.Count, last);

        // Benchmark data: one transaction per community keeps memory flat however many there are.
        for (var n = 1; n <= o.SyntheticCommunities; n++)
        {
            Insert(DemoCommunity.GenerateSynthetic(o.RandomSeed, n, o.SyntheticUnits, last), marker: null);
            if (n % 10 == 0 || n == o.SyntheticCommunities)
                logger.LogInformation("Seeded {Count} of {Total} synthetic communities", n, o.SyntheticCommunities);
        }
        return true;
    }

    /// <summary>
    /// A demo database seeded before managers and safety officers were roles gets those roles from the job titles it was
    /// seeded with (物业经理, 安全员), once: a role an administrator takes away later stays away, and a
    /// start does not read every person again.
    /// </summary>
    public int UpgradeRoles()
    {
        if (db.Seeds.FindById(SeedId) is null || db.Settings.FindById(RolesUpgraded) is not null) return 0;
        var changed = 0;
        foreach (var (title, role) in new[] { ("物业经理", People.Role.Manager), ("安全员", People.Role.SafetyOfficer) })
            foreach (var person in db.People.Find(p => p.Title == title).Where(p => !p.Has(role)).ToList())
            {
                db.People.Update(person with { Roles = [.. person.Roles, role] });
                foreach (var account in db.Accounts.Find(a => a.PersonId == person.Id).Where(a => !a.Roles.Contains(role)).ToList())
                    db.Accounts.Update(account with { Roles = [.. account.Roles, role] });
                changed++;
            }
        db.Settings.Upsert(new SettingRecord(RolesUpgraded, "1"));
        return changed;
    }

    private const string RolesUpgraded = "demo|roles-upgraded";

    private string? _passwordHash;

    private void Insert(DemoDataSet data, SeedRecord? marker)
    {
        db.BeginTrans();
        try
        {
            db.Communities.Insert(data.Community);
            db.Buildings.InsertBulk(data.Buildings);
            db.Units.InsertBulk(data.Units);
            db.People.InsertBulk(data.People);
            db.Bills.InsertBulk(data.Bills);
            db.Payments.InsertBulk(data.Payments);
            _passwordHash ??= Accounts.AccountService.Hash(DemoAccounts.Password);
            db.Accounts.InsertBulk(DemoAccounts.For(data.People, data.Community.Id, marker is not null, _passwordHash));
            LiteFeeTotals.Build(db, data.Community.Id);
            if (marker is not null)
            {
                DemoOpenAccounts.Seed(db, data, marker.LastPeriod, marker.SeededAt, marker.RandomSeed);
                DemoLife.Seed(db, data, marker.LastPeriod, marker.SeededAt, marker.RandomSeed);
                ImportSampleStatement(data.Community.Id);
                db.Seeds.Insert(marker);
            }
            db.Commit();
        }
        catch
        {
            db.Rollback();
            throw;
        }
    }

    /// <summary>
    /// Payments as the office records them: the statement through the ledger, inside the seeding transaction (the
    /// ledger's own transaction joins it). Rows that fit another seed or month are reported as the import page would.
    /// </summary>
    private void ImportSampleStatement(string communityId)
    {
        if (!File.Exists(SampleStatement))
        {
            logger.LogWarning("No sample statement at {Path}: the demo has no imported payments", SampleStatement);
            return;
        }
        var report = payments.Import(communityId, "wechat", File.ReadAllText(SampleStatement), apply: true);
        var left = report.Lines.Where(l => l.Status != LineStatus.Ok).Select(l => $"row {l.Row} {l.Status}");
        logger.LogInformation(
            "Imported the sample WeChat statement: {Accepted} of {Rows} rows, {Amount:0.00} yuan; {Left}",
            report.Accepted, report.Rows, report.AcceptedAmount, string.Join("; ", left));
    }
}
