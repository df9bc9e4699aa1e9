using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace Linli.Understanding;

/// <summary>
/// The one tool the routing model may call: it names the intent and, in the same call, the details a dialog would
/// otherwise ask for (where, what kind, a short description, when, how urgent). Its JSON schema is what the model
/// fills.
/// </summary>
public sealed class RouterPlugin
{
    public const string PluginName = "Router";

    /// <summary>
    /// The details the model may give, as the entities the dialogs fill their steps from (dialogs/*.yaml: fill).
    /// </summary>
    public static readonly string[] Slots =
        ["unit", "period", "amount", "phone", "place", "area", "problem", "summary", "when", "urgency"];

    [KernelFunction("route"), Description("Record what the resident wants and the details they gave.")]
    public static string Route(
        [Description("Exactly one intent id from the closed list in the instructions; \"none\" if nothing fits.")]
        string intent,
        [Description("The flat number as written, e.g. 3栋502; omit if not given.")] string? unit = null,
        [Description("The month as written, e.g. 上个月 or 2026年3月; omit if not given.")] string? period = null,
        [Description("An amount of money as written; omit if not given.")] string? amount = null,
        [Description("A phone number as written; omit if not given.")] string? phone = null,
        [Description("A shared place as written, e.g. 3栋电梯 or the lobby of building 3; omit if not given.")]
        string? place = null,
        [Description(
            "For a repair: \"in_unit\" (inside the home) or \"common_area\" (a shared area); omit if unclear.")]
        string? area = null,
        [Description(
            "The kind of problem: for a repair water, electrical, lift, door_access, drainage, structure or other; " +
            "for a complaint noise, clutter, pets, parking, sanitation, guard_conduct or service_quality; " +
            "for a hazard wall_tiles, hydrant, ev_charging, fire_exit, ac_bracket, manhole or other. Omit if unclear.")]
        string? problem = null,
        [Description(
            "What is wrong, in a few of the resident's own words, without the request itself; omit if not said.")]
        string? summary = null,
        [Description("When someone may come, as written, e.g. 明天下午 or tomorrow morning; omit if not given.")]
        string? when = null,
        [Description(
            "\"urgent\" when the resident says it is urgent, \"normal\" when they say it is not; omit otherwise.")]
        string? urgency = null)
        => intent;
}
