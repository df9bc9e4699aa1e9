using Linli.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Linli.Communities;

namespace Linli.Pages;

/// <summary>Accounts of the admin's community: the page is a frame; admin.js fills it from the accounts API.</summary>
[Authorize(Roles = nameof(People.Role.Admin))]
public sealed class AdminModel(ICommunityStore communities) : PageModel
{
    public string CommunityId => User.CommunityId() ?? "";
    public string CommunityName => communities.Find(CommunityId)?.Name ?? CommunityId;
    public string Name => User.DisplayName();

    public void OnGet() { }
}
