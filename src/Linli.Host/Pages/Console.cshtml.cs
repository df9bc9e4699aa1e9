using Linli.Accounts;
using Linli.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Linli.Pages;

/// <summary>The staff console: the page is a frame; console.js fills it from the ticket API and keeps it live through the hub.</summary>
[Authorize(Policy = AuthApi.ServicePolicy)]
public sealed class ConsoleModel(LinliDatabase db) : PageModel
{
    public string CommunityId => User.CommunityId() ?? "";
    public string CommunityName => db.Communities.FindById(CommunityId)?.Name ?? CommunityId;
    public string PersonId => User.PersonId() ?? "";
    public string Name => User.DisplayName();
    public bool English => Request.Query["lang"] is var l && (l == "en" || l == "en-US");

    public void OnGet() { }
}
