using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace Linli.Tickets;

/// <summary>What a chat model may ask about tickets: counts for a community's queue, never who reported what.</summary>
public sealed class TicketsPlugin(ITicketStore store, TimeProvider time)
{
    public const string PluginName = "Tickets";

    [KernelFunction("queue_summary")]
    [Description("Open tickets of a community by kind (repair, complaint, hazard, emergency, mediation), "
        + "and how many are past their due time.")]
    public string QueueSummary([Description("Community id, e.g. citong")] string communityId)
    {
        var now = time.GetUtcNow();
        var open = store.Queue(communityId, new TicketQuery(OpenOnly: true), 0, int.MaxValue);
        if (open.Count == 0) return $"{communityId}: no open tickets.";
        var kinds = open.GroupBy(t => t.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}");
        var byKind = string.Join(", ", kinds);
        return $"{communityId}: {open.Count} open ({byKind}); {open.Count(t => t.ResolveBy < now)} past due.";
    }
}
