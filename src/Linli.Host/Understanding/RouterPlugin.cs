using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace Linli.Understanding;

/// <summary>The one tool the routing model may call: it names the intent and the details it found.</summary>
public sealed class RouterPlugin
{
    public const string PluginName = "Router";

    [KernelFunction("route"), Description("Record what the resident wants and the details they gave.")]
    public static string Route(
        [Description("Exactly one intent id from the closed list in the instructions; \"none\" if nothing fits.")] string intent,
        [Description("The flat number as written, e.g. 3栋502; omit if not given.")] string? unit = null,
        [Description("The month as written, e.g. 上个月 or 2026年3月; omit if not given.")] string? period = null,
        [Description("An amount of money as written; omit if not given.")] string? amount = null,
        [Description("A phone number as written; omit if not given.")] string? phone = null) => intent;
}
