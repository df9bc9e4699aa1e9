using Linli.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Linli.Communities;

namespace Linli.Pages;

/// <summary>The staff console: the page is a frame; console.js fills it from the ticket API and keeps it live through the hub.</summary>
[Authorize(Policy = AuthApi.ServicePolicy)]
public sealed class ConsoleModel(ICommunityStore communities) : PageModel
{
    public string CommunityId => User.CommunityId() ?? "";
    public string CommunityName => communities.Find(CommunityId)?.Name ?? CommunityId;
    public string PersonId => User.PersonId() ?? "";
    public string Name => User.DisplayName();
    public bool English => Request.Query["lang"] is var l && (l == "en" || l == "en-US");

    public void OnGet() { }
}
