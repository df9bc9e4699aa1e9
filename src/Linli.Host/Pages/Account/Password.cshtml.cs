using Linli.Accounts;
using Linli.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Linli.Pages.Account;

/// <summary>Change one's own password; the only page an account may use while its password was set by someone else.</summary>
[Authorize]
public sealed class PasswordModel(AccountService accounts, AuditTrail audit) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty] public string? Current { get; set; }
    [BindProperty] public string? New { get; set; }
    [BindProperty] public string? Confirm { get; set; }

    public string? Error { get; private set; }
    public bool Required => User.HasClaim(c => c.Type == LinliClaims.MustChangePassword);
    public bool HasAccount => User.HasClaim(c => c.Type == LinliClaims.Account);

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (User.FindFirst(LinliClaims.Account)?.Value is not { } id) return Forbid();
        if (New != Confirm)
        {
            Error = "两次输入的新密码不一样。 The two new passwords differ.";
            return Page();
        }
        try
        {
            var changed = accounts.ChangePassword(id, Current ?? "", New ?? "");
            audit.Record(User, "account.password", id);
            await HttpContext.SignInAsync(AuthApi.Scheme, AuthApi.StaffPrincipal(changed, accounts.PersonOf(changed)));
            var home = changed.Roles.Any(r => LinliClaims.ServiceRoles.Contains(r)) ? "/console" : "/tea";
            return LocalRedirect(ReturnUrl is { Length: > 0 } ? AuthApi.LocalOrHome(ReturnUrl) : home);
        }
        catch (DomainProblem ex)
        {
            Error = ex.Message;
            return Page();
        }
    }
}
