using Linli.TeaTable;
using Microsoft.AspNetCore.SignalR;

namespace Linli.StaffConsole;

/// <summary>A tea-table post naming staff, shown on their community's consoles.</summary>
public sealed class StaffConsoleMentions(IHubContext<StaffConsoleHub, IStaffConsoleClient> hub) : IStaffMentions
{
    public Task Mentioned(string communityId, MentionView mention) =>
        hub.Clients.Group(StaffConsoleHub.Group(communityId)).Mentioned(mention);
}
