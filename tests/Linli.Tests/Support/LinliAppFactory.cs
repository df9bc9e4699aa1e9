using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Linli.Tests.Support;

/// <summary>The whole app in memory over its own LiteDB file, seeded with the demo community up to <see cref="LastPeriod"/>.</summary>
public sealed class LinliAppFactory : WebApplicationFactory<Program>
{
    public const string LastPeriod = "2026-10";
    private readonly TempDirectory _dir = new();

    public string DatabasePath => _dir.File("linli.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:DatabasePath", DatabasePath);
        builder.UseSetting("Demo:LastPeriod", LastPeriod);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _dir.Dispose();
    }
}
