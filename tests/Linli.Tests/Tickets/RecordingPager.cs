using System.Collections.Concurrent;
using Linli.People;
using Linli.Tickets;

namespace Linli.Tests.Tickets;

/// <summary>A pager that keeps what it was asked to page: emergencies and hazards apart from the rest.</summary>
internal sealed class RecordingPager : IStaffPager
{
    public ConcurrentQueue<(string Number, string PersonId)> Pages { get; } = new();
    public ConcurrentQueue<(string Number, string PersonId, string Reason)> Other { get; } = new();

    public void Page(Ticket ticket, Person person, string reason)
    {
        if (reason is "emergency" or "hazard") Pages.Enqueue((ticket.Number, person.Id));
        else Other.Enqueue((ticket.Number, person.Id, reason));
    }
}
