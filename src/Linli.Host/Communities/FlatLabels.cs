using System.Globalization;

namespace Linli.Communities;

/// <summary>Flats named as residents and the office write them.</summary>
public static class FlatLabels
{
    /// <summary>
    /// The community's flat whose label is exactly <paramref name="label"/> ("3栋502", spaces around it ignored):
    /// building 3, room "502". Null for anything else, "03栋502" or "3栋 502" too, as when the label was matched
    /// whole.
    /// </summary>
    public static Unit? FindFlat(this ICommunityStore communities, string communityId, string? label)
    {
        var text = (label ?? "").Trim();
        var at = text.IndexOf('栋');
        if (at <= 0 || !int.TryParse(text[..at], NumberStyles.None, CultureInfo.InvariantCulture, out var building))
            return null;
        return communities.FindUnit(communityId, building, text[(at + 1)..]) is { } unit && unit.Label == text
            ? unit
            : null;
    }
}
