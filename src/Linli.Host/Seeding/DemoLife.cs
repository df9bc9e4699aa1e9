using Linli.Calendar;
using Linli.Storage.LiteDb;

namespace Linli.Seeding;

/// <summary>
/// The demo estate's daily life, so the staff console, the notice board, the projects page and the mediation desk are
/// not empty on a newcomer's first look: two months of tickets in every state (emergencies with their 1-3-5 ladder,
/// some open past their deadline), notices, a fire-mains project funded from four sources and a small one closed to the
/// fen, and half a year of mediation cases with every outcome. Fixed stories, dated back from the seeding time; the
/// flats the tests lean on (3栋501, 3栋602, 5栋301…) are left out, and 3栋502, the demo resident's, gets one open
/// repair and one resolved one.
/// </summary>
public static class DemoLife
{
    /// <summary>Numbers read like real tickets' (BX-20261103-0001); the source key says the seed wrote them.</summary>
    public const string SourcePrefix = "demo|";

    public static void Seed(LinliDatabase db, DemoDataSet data, Period last, DateTimeOffset now, int randomSeed)
    {
        var estate = new DemoEstate(data);
        var tickets = DemoTickets.Make(estate, now, new Random(randomSeed + 15));
        db.Tickets.InsertBulk(tickets);
        db.Notices.InsertBulk(DemoNotices.Make(estate, last, now));
        db.Projects.InsertBulk(DemoProjects.Make(estate, now));
        DemoMediation.Seed(db, estate, now, tickets);
    }
}
