using Linli.Notices;

namespace Linli.Storage.LiteDb;

/// <summary>The LiteDB implementation of every store: one file, one process (the default).</summary>
public static class LiteDbStores
{
    public static IServiceCollection AddLiteDbStores(this IServiceCollection services)
    {
        services.AddSingleton<INoticeStore, LiteNoticeStore>();
        services.AddSingleton<Linli.Tickets.ITicketStore, LiteTicketStore>();
        services.AddSingleton<Linli.StaffConsole.IHandoffStore, LiteHandoffStore>();
        services.AddSingleton<Linli.StaffConsole.ITranscriptStore, LiteTranscriptStore>();
        services.AddSingleton<Linli.StaffConsole.ICannedReplyStore, LiteCannedReplyStore>();
        return services;
    }
}
