using Linli.Bot.Turns;
using Linli.Channels.DirectLine;
using Linli.Accounts;
using Linli.Communities;
using Linli.Notices;
using Linli.People;
using Linli.Residents;
using Linli.Uploads;

namespace Linli.Storage.LiteDb;

/// <summary>The LiteDB implementation of every store: one file, one process (the default).</summary>
public static class LiteDbStores
{
    public static IServiceCollection AddLiteDbStores(this IServiceCollection services)
    {
        services.AddSingleton<ISigningKeys, LiteSigningKeys>();
        services.AddSingleton<INoticeStore, LiteNoticeStore>();
        services.AddSingleton<IConversationStateStore, LiteConversationStateStore>();
        services.AddSingleton<IConversationReferenceStore, LiteConversationReferenceStore>();
        services.AddSingleton<IDirectLineStore, LiteDirectLineStore>();
        services.AddSingleton<Channels.IProcessedActivities, LiteProcessedActivities>();
        services.AddSingleton<Channels.ITextOutboxStore, LiteTextOutboxStore>();
        services.AddSingleton<Channels.IConnectorOutboxStore, LiteConnectorOutboxStore>();
        services.AddSingleton<Channels.WeChat.IWeChatChoicesStore, LiteWeChatChoicesStore>();
        services.AddSingleton<Fees.IFeeStore, LiteFeeStore>();
        services.AddSingleton<Fees.IPaymentStore, LitePaymentStore>();
        services.AddLiteTeaTableStores();
        services.AddSingleton<ICommunityStore, LiteCommunityStore>();
        services.AddSingleton<IPeopleStore, LitePeopleStore>();
        services.AddSingleton<IAccountStore, LiteAccountStore>();
        services.AddSingleton<IAuditLog, LiteAuditLog>();
        services.AddSingleton<IResidentLinkStore, LiteResidentLinkStore>();
        services.AddSingleton<IResidentBindingStore, LiteResidentBindingStore>();
        services.AddSingleton<IBindingCodeStore, LiteBindingCodeStore>();
        services.AddSingleton<IFileStore, LiteFileStore>();
        services.AddSingleton<Linli.Tickets.ITicketStore, LiteTicketStore>();
        services.AddSingleton<Linli.StaffConsole.IHandoffStore, LiteHandoffStore>();
        services.AddSingleton<Linli.StaffConsole.ITranscriptStore, LiteTranscriptStore>();
        services.AddSingleton<Linli.StaffConsole.ICannedReplyStore, LiteCannedReplyStore>();
        services.AddSingleton<PublicRevenue.IRevenueStore, LiteRevenueStore>();
        services.AddSingleton<MaintenanceFund.IFundStore, LiteFundStore>();
        services.AddSingleton<Projects.IProjectStore, LiteProjectStore>();
        services.AddSingleton<Mediation.IMediationStore, LiteMediationStore>();
        // What each feature keeps of a resident's chats and writing, for their copy and its erasure.
        services.AddSingleton<Privacy.IPersonalData, LiteTicketPersonalData>();
        services.AddSingleton<Privacy.IPersonalData, LiteTranscriptPersonalData>();
        services.AddSingleton<Privacy.IPersonalData, LiteTeaPersonalData>();
        services.AddSingleton<Privacy.IPersonalData, LiteConversationPersonalData>();
        services.AddSingleton<Privacy.IPersonalData, LiteDirectLinePersonalData>();
        return services;
    }
}
