using Linli.Storage.Postgres;
using Linli.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Storage;

/// <summary>Two instances on one PostgreSQL read what either protected (a sign-in cookie, a one-use link).</summary>
public sealed class PgDataProtectionKeysTests : IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    private IDataProtector Instance()
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("Linli");
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = new PgDataProtectionKeys(_postgres.Db));
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
    }

    [Fact]
    public void WhatOneInstanceProtectsAnotherReads()
    {
        var (a, b) = (Instance(), Instance());

        Assert.Equal("王阿姨 3栋502", b.Unprotect(a.Protect("王阿姨 3栋502")));
        Assert.Equal("back", a.Unprotect(b.Protect("back")));
        // A third, started later (a restart), reads both.
        Assert.Equal("王阿姨 3栋502", Instance().Unprotect(a.Protect("王阿姨 3栋502")));
        Assert.Single(new PgDataProtectionKeys(_postgres.Db).GetAllElements());
    }

    public void Dispose() => _postgres.Dispose();
}
