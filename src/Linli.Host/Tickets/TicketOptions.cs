namespace Linli.Tickets;

/// <summary>Service-level targets per kind and urgency, in minutes; configurable under "Tickets:Sla".</summary>
public sealed class TicketOptions
{
    public const string SectionName = "Tickets";

    public sealed class Target
    {
        public int RespondMinutes { get; set; }
        public int ResolveMinutes { get; set; }
        /// <summary>Count these minutes in business hours only (nights, days off and holidays do not count).</summary>
        public bool BusinessHours { get; set; }
    }

    /// <summary>The office's hours, for targets counted in business hours.</summary>
    public BusinessHours Hours { get; set; } = new();

    /// <summary>
    /// An emergency page nobody acknowledges goes to the next person on duty after this long (the "1" of 1-3-5).
    /// </summary>
    public int EscalateAfterSeconds { get; set; } = 60;

    /// <summary>How often unacknowledged emergencies are checked.</summary>
    public int EscalationCheckSeconds { get; set; } = 5;

    /// <summary>
    /// A ticket assigned but not started within this many minutes goes to the next person on duty (0: never).
    /// </summary>
    public int ReassignAfterMinutes { get; set; } = 30;

    /// <summary>How often service levels are checked.</summary>
    public int SlaCheckSeconds { get; set; } = 30;

    public Dictionary<string, Dictionary<string, Target>> Sla { get; set; } = new()
    {
        ["emergency"] = new() { ["urgent"] = new() { RespondMinutes = 1, ResolveMinutes = 60 } },
        ["hazard_report"] = new()
        {
            ["urgent"] = new() { RespondMinutes = 30, ResolveMinutes = 24 * 60 },
            ["normal"] = new() { RespondMinutes = 4 * 60, ResolveMinutes = 7 * 24 * 60 },
        },
        ["repair_request"] = new()
        {
            ["urgent"] = new() { RespondMinutes = 30, ResolveMinutes = 8 * 60 },
            ["normal"] = new() { RespondMinutes = 4 * 60, ResolveMinutes = 3 * 24 * 60 },
        },
        ["complaint"] = new() { ["normal"] = new() { RespondMinutes = 4 * 60, ResolveMinutes = 3 * 24 * 60 } },
        ["mediation"] = new() { ["normal"] = new() { RespondMinutes = 24 * 60, ResolveMinutes = 14 * 24 * 60 } },
        ["human_handoff"] = new() { ["normal"] = new() { RespondMinutes = 10, ResolveMinutes = 24 * 60 } },
    };

    /// <summary>The business hours a target counts in, or null when it runs round the clock.</summary>
    public BusinessHours? HoursFor(string kind, string urgency) => For(kind, urgency).BusinessHours ? Hours : null;

    public Target For(string kind, string urgency) =>
        Sla.TryGetValue(kind, out var byUrgency)
            ? byUrgency.GetValueOrDefault(urgency) ?? byUrgency.Values.First()
            : new Target { RespondMinutes = 4 * 60, ResolveMinutes = 3 * 24 * 60 };
}
