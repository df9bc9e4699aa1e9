using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Linli.Hosting;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;

namespace Linli.Storage.Setup;

/// <summary>
/// Where Linli keeps its data: one LiteDB file for an estate (the default), or PostgreSQL shared by several instances
/// (<c>Storage:Provider</c> = <c>PostgreSQL</c>). Either opens before the host starts, with every feature's store
/// over it and a health check.
/// </summary>
public static class StorageModule
{
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<StorageOptions>(StorageOptions.SectionName);
        if (Provider(builder.Configuration) == StorageProvider.PostgreSQL)
            builder.Services.AddPostgresStorage(builder.Configuration.GetConnectionString("Postgres"),
                KeyCertificate(builder.Configuration));
        else
            builder.Services.AddLiteDbStorage();
        return builder;
    }

    /// <summary>
    /// The certificate (a .pfx file with its private key, <c>DataProtection:Certificate</c> and
    /// <c>DataProtection:CertificatePassword</c>) that encrypts the keys of sign-in cookies in the database; none: they
    /// are kept as they are, protected only as the database is.
    /// </summary>
    private static X509Certificate2? KeyCertificate(IConfiguration configuration)
    {
        if (configuration["DataProtection:Certificate"] is not { Length: > 0 } path) return null;
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path,
                configuration["DataProtection:CertificatePassword"]);
            return certificate.HasPrivateKey
                ? certificate
                : throw new StartupProblem($"DataProtection:Certificate {path} has no private key to decrypt with.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new StartupProblem($"DataProtection:Certificate {path} cannot be read: {ex.Message}", ex);
        }
    }

    private static StorageProvider Provider(IConfiguration configuration) =>
        configuration.GetSection(StorageOptions.SectionName)
            .GetValue(nameof(StorageOptions.Provider), StorageProvider.LiteDB);

    /// <summary>
    /// With LiteDB, an admin's backup on demand (PostgreSQL is backed up by its own tools: docs/backups.md).
    /// </summary>
    public static WebApplication MapStorage(this WebApplication app)
    {
        // Decided by the setting, not by asking for the database: it opens (and is locked) only when the app starts.
        if (Provider(app.Configuration) != StorageProvider.LiteDB) return app;
        app.MapPost("/api/admin/backups", (LiteBackups backups) =>
            {
                var report = backups.TakeNow();
                return TypedResults.Created($"/api/admin/backups/{Path.GetFileName(report.Path)}",
                    new BackupTaken(Path.GetFileName(report.Path), report.Bytes, report.Collections, report.Documents));
            })
            .WithTags("Storage").WithSummary("Take a backup of the estate's database now (admins)")
            .RequireAuthorization(p => p.RequireRole(nameof(People.Role.Admin)));
        return app;
    }
}

/// <summary>A backup just taken: its file in the backups folder beside the database, and what it holds.</summary>
public sealed record BackupTaken(string File, long Bytes, int Collections, long Documents);
