using Linli.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Linli.Communities;
using Linli.People;

namespace Linli.Pages;

/// <summary>
/// Where a resident's signed link from the bot lands. Opening it signs nobody in: it shows whose link it is and one button,
/// whose POST (antiforgery-checked) signs in as a resident of that flat and uses the link up. So an image, a preview or a
/// prefetch that fetches the link does nothing, and a link read later in a transcript is spent.
/// </summary>
public sealed class LinkModel(ResidentLinks links, ICommunityStore communities, IPeopleStore people) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "t")] public string? Token { get; set; }
    [BindProperty(SupportsGet = true, Name = "return")] public string? ReturnPath { get; set; }

    /// <summary>The flat the link is for ("3栋502"), when the link is good.</summary>
    public string? Flat { get; private set; }

    public IActionResult OnGet()
    {
        Response.Headers.CacheControl = "no-store";
        if (links.Validate(Token) is not { } grant) return Spent();
        Flat = communities.FindUnit(grant.UnitId)?.Label ?? "";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (links.Redeem(Token) is not { } grant || people.Find(grant.CommunityId, grant.PersonId) is not { } person)
            return Spent();
        // Whatever roles the person has elsewhere, a link from the chat signs them in as a resident of that flat only.
        await HttpContext.SignInAsync(AuthApi.Scheme, AuthApi.ResidentPrincipal(person, grant.CommunityId, grant.UnitId));
        return LocalRedirect(AuthApi.LocalOrHome(ReturnPath));
    }

    private PageResult Spent()
    {
        Flat = null;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
