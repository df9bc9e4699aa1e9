using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Linli.Storage.Postgres;
using Linli.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Storage;

/// <summary>Two instances on one PostgreSQL read what either protected (a sign-in cookie, a one-use link).</summary>
public sealed class PgDataProtectionKeysTests : IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    private IDataProtector Instance(X509Certificate2? certificate = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(_postgres.Db);
        services.AddSharedKeys(certificate);
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

    [Fact]
    public void WithACertificateTheKeysAreEncryptedInTheDatabaseAndStillShared()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Linli keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        // As an instance loads it: from a .pfx file's bytes.
        using var certificate = X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx, "pw"), "pw");
        var (a, b) = (Instance(certificate), Instance(certificate));

        Assert.Equal("王阿姨 3栋502", b.Unprotect(a.Protect("王阿姨 3栋502")));
        var stored = Assert.Single(new PgDataProtectionKeys(_postgres.Db).GetAllElements()).ToString();
        Assert.Contains("EncryptedData", stored);
        Assert.DoesNotContain("<masterKey", stored);
        // Without the certificate, the key cannot be read.
        Assert.ThrowsAny<CryptographicException>(() => Instance().Unprotect(a.Protect("x")));
    }

    public void Dispose() => _postgres.Dispose();
}
