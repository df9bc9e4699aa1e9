using System.ComponentModel;
using Linli.Storage;
using Microsoft.SemanticKernel;

namespace Linli.Tickets;

/// <summary>What a chat model may ask about tickets: counts for a community's queue, never who reported what.</summary>
public sealed class TicketsPlugin(LinliDatabase db, TimeProvider time)
{
    public const string PluginName = "Tickets";

    [KernelFunction("queue_summary"), Description("Open tickets of a community by kind (repair, complaint, hazard, emergency, mediation), and how many are past their due time.")]
    public string QueueSummary([Description("Community id, e.g. citong")] string communityId)
    {
        var now = time.GetUtcNow();
        var open = db.Tickets.Find(t => t.CommunityId == communityId).Where(t => t.Status is not (TicketStatus.Resolved or TicketStatus.Closed)).ToList();
        if (open.Count == 0) return $"{communityId}: no open tickets.";
        var byKind = string.Join(", ", open.GroupBy(t => t.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));
        return $"{communityId}: {open.Count} open ({byKind}); {open.Count(t => t.ResolveBy < now)} past due.";
    }
}
