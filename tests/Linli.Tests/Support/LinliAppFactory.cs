using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.Support;

/// <summary>
/// The whole app in memory over its own LiteDB file, seeded with the demo community up to <see cref="LastPeriod"/>.
/// Settings can be added per test; a test that moves the clock passes a <see cref="FakeTimeProvider"/>
/// (everything timed then waits for it, HTTP retries included).
/// </summary>
public sealed class LinliAppFactory(
    Dictionary<string, string?>? settings = null, TempDirectory? directory = null, FakeTimeProvider? time = null,
    string environment = "Development", Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    public const string LastPeriod = "2026-10";
    private readonly TempDirectory _dir = directory ?? new TempDirectory();
    private readonly bool _ownsDirectory = directory is null;

    public string DatabasePath => _dir.File("linli.db");

    /// <summary>What the app has logged at Information and above.</summary>
    public LogLines Logs { get; } = new();

    public FakeTimeProvider Time => time ?? throw new InvalidOperationException("This app runs on the real clock.");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The standard demo estate starts from the run's seeded copy; anything else (other demo settings, no demo)
        // seeds or not as Linli itself decides. Synthetic communities beside it come from a template of their own.
        var seeds = settings?.GetValueOrDefault("Demo:Seed") is { } seed
            ? seed == "true"
            : environment == "Development";
        string[] templated = ["Demo:Seed", "Demo:SyntheticCommunities", "Demo:SyntheticUnits"];
        var otherDemo = settings?.Keys.Any(k => k.StartsWith("Demo:") && !templated.Contains(k)) ?? false;
        if (seeds && !File.Exists(DatabasePath) && !otherDemo)
        {
            var (synthetic, units) = (Number("Demo:SyntheticCommunities", 0), Number("Demo:SyntheticUnits", 2000));
            SeededTemplate.CopyTo(DatabasePath, synthetic, units);
        }
        builder.UseEnvironment(environment);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.UseSetting("Storage:DatabasePath", DatabasePath);
        builder.UseSetting("Demo:LastPeriod", LastPeriod);
        // In memory every request comes from one (absent) address, and a test starts more chats in a minute than a
        // household does: the limits are the rate-limit tests' own to set.
        foreach (var policy in new[] { "conversations", "signin", "parse", "chat", "uploads", "writes" })
            builder.UseSetting($"RateLimits:{policy}:PermitLimit", "100000");
        // Nightly backups are the backup tests' own: a test clock moved on by days would take one in every other test.
        builder.UseSetting("Storage:BackupsKept", "0");
        foreach (var (key, value) in settings ?? []) builder.UseSetting(key, value);
        if (time is not null) builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(time));
        if (services is not null) builder.ConfigureTestServices(services);
    }

    private int Number(string key, int otherwise) =>
        settings?.GetValueOrDefault(key) is { } text
            ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture)
            : otherwise;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDirectory) _dir.Dispose();
    }
}
