using Linli.Accounts;

namespace Linli.Residents;

/// <summary>A bound flat's way into the web pages (Accounts signs the link; the binding is the chat's own).</summary>
public static class ResidentLinkExtensions
{
    /// <summary>A signed, single-use link: the bound resident signed in, at <paramref name="returnPath"/>.</summary>
    public static string Create(this ResidentLinks links, ResidentBinding binding, string returnPath = "/") =>
        links.Create(new ResidentLinks.Grant(binding.PersonId, binding.UnitId, binding.CommunityId), returnPath);
}
