using System.Security.Cryptography.X509Certificates;
using Dapper;
using Linli.Accounts;
using Linli.Bot.Turns;
using Linli.Channels.DirectLine;
using Linli.Communities;
using Linli.Hosting;
using Linli.Notices;
using Linli.People;
using Linli.Residents;
using Linli.Uploads;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Linli.Storage.Postgres;

/// <summary>The PostgreSQL implementation of every store: one database shared by any number of Linli instances.</summary>
public static class PostgresStores
{
    /// <summary>
    /// The database at <paramref name="connectionString"/> (<c>ConnectionStrings:Postgres</c>), brought up to date
    /// before the host starts, and every store over it; the keys of sign-in cookies in it, encrypted with
    /// <paramref name="keyCertificate"/> when one is given.
    /// </summary>
    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, string? connectionString,
        X509Certificate2? keyCertificate = null)
    {
        services.AddSingleton(_ => Open(connectionString));
        services.AddSingleton(new OpenBeforeStart(sp => sp.GetRequiredService<PostgresDatabase>()));
        services.AddPostgresStores();
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("storage");
        services.AddSharedKeys(keyCertificate);
        return services;
    }

    /// <summary>
    /// Sign-in cookies and protected links readable on every instance: the keys kept in the database, and encrypted
    /// there with <paramref name="certificate"/> (its private key decrypts them) when one is given.
    /// </summary>
    public static IServiceCollection AddSharedKeys(this IServiceCollection services, X509Certificate2? certificate)
    {
        var protection = services.AddDataProtection().SetApplicationName("Linli");
        services.AddOptions<KeyManagementOptions>()
            .Configure<PostgresDatabase>((o, db) => o.XmlRepository = new PgDataProtectionKeys(db));
        if (certificate is not null) protection.ProtectKeysWithCertificate(certificate);
        return services;
    }

    private static PostgresDatabase Open(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new StartupProblem(
                "Storage:Provider is PostgreSQL but ConnectionStrings:Postgres is not set (Host=…;Database=…).");
        try
        {
            return PostgresDatabase.Open(connectionString);
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException)
        {
            throw new StartupProblem($"PostgreSQL cannot be reached or brought up to date: {ex.Message}", ex);
        }
    }

    public static IServiceCollection AddPostgresStores(this IServiceCollection services)
    {
        services.AddSingleton<ISigningKeys, PgSigningKeys>();
        services.AddSingleton<INoticeStore, PgNoticeStore>();
        services.AddSingleton<IConversationStateStore, PgConversationStateStore>();
        services.AddSingleton<IConversationReferenceStore, PgConversationReferenceStore>();
        services.AddSingleton<IDirectLineStore, PgDirectLineStore>();
        services.AddSingleton<Channels.IProcessedActivities, PgProcessedActivities>();
        services.AddSingleton<Channels.ITextOutboxStore, PgTextOutboxStore>();
        services.AddSingleton<Channels.IConnectorOutboxStore, PgConnectorOutboxStore>();
        services.AddSingleton<Channels.WeChat.IWeChatChoicesStore, PgWeChatChoicesStore>();
        services.AddSingleton<Fees.IFeeStore, PgFeeStore>();
        services.AddSingleton<Fees.IPaymentStore, PgPaymentStore>();
        services.AddSingleton<TeaTable.ITeaThreadStore, PgTeaThreadStore>();
        services.AddSingleton<TeaTable.ITeaPostStore, PgTeaPostStore>();
        services.AddSingleton<TeaTable.ITeaVoteStore, PgTeaVoteStore>();
        services.AddSingleton<TeaTable.ITeaMuteStore, PgTeaMuteStore>();
        services.AddSingleton<TeaTable.ITeaDigestStore, PgTeaDigestStore>();
        services.AddSingleton<ICommunityStore, PgCommunityStore>();
        services.AddSingleton<IPeopleStore, PgPeopleStore>();
        services.AddSingleton<IAccountStore, PgAccountStore>();
        services.AddSingleton<IAuditLog, PgAuditLog>();
        services.AddSingleton<IResidentLinkStore, PgResidentLinkStore>();
        services.AddSingleton<IResidentBindingStore, PgResidentBindingStore>();
        services.AddSingleton<IBindingCodeStore, PgBindingCodeStore>();
        services.AddSingleton<IFileStore, PgFileStore>();
        services.AddSingleton<Tickets.ITicketStore, PgTicketStore>();
        services.AddSingleton<StaffConsole.IHandoffStore, PgHandoffStore>();
        services.AddSingleton<StaffConsole.ITranscriptStore, PgTranscriptStore>();
        services.AddSingleton<StaffConsole.ICannedReplyStore, PgCannedReplyStore>();
        services.AddSingleton<PublicRevenue.IRevenueStore, PgRevenueStore>();
        services.AddSingleton<MaintenanceFund.IFundStore, PgFundStore>();
        services.AddSingleton<Projects.IProjectStore, PgProjectStore>();
        services.AddSingleton<Mediation.IMediationStore, PgMediationStore>();
        // What each feature keeps of a resident's chats and writing, for their copy and its erasure.
        services.AddSingleton<Privacy.IPersonalData, PgTicketPersonalData>();
        services.AddSingleton<Privacy.IPersonalData, PgTranscriptPersonalData>();
        services.AddSingleton<Privacy.IPersonalData, PgTeaPersonalData>();
        services.AddSingleton<Privacy.IPersonalData, PgConversationPersonalData>();
        services.AddSingleton<Privacy.IPersonalData, PgDirectLinePersonalData>();
        return services;
    }
}

internal sealed class PostgresHealthCheck(PostgresDatabase db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context,
        CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await db.ConnectAsync(cancellationToken);
            var communities = await connection.ExecuteScalarAsync<long>(
                new CommandDefinition("SELECT count(*) FROM communities", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy($"{communities} communities in PostgreSQL database {db.Name}");
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL unreachable", ex);
        }
    }
}
