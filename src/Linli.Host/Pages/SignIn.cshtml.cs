using System.Security.Cryptography;
using Linli.Accounts;
using Linli.People;
using Linli.Residents;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Linli.Pages;

/// <summary>
/// Sign-in for people who work in Linli (staff, mediators, volunteers, admins: user name and password) and for residents
/// (their flat, the mobile number on file, and a one-time code). Forms carry an antiforgery token, checked on every post.
/// </summary>
public sealed class SignInModel(AccountService accounts, ResidentDirectory residents, IPeopleStore people,
    AuditTrail audit) : PageModel
{
    private const string WebChannel = "web";

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty(SupportsGet = true)] public string? Lang { get; set; }
    [BindProperty(SupportsGet = true)] public bool Denied { get; set; }
    [BindProperty] public string? UserName { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Unit { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? Code { get; set; }
    /// <summary>Which pending code this browser is answering (random, carried in the form).</summary>
    [BindProperty] public string? Pending { get; set; }

    public string? Error { get; private set; }
    public string? MaskedPhone { get; private set; }
    public bool English => Lang is "en" or "en-US";
    public string T(string zh, string en) => English ? en : zh;

    public void OnGet() { }

    public async Task<IActionResult> OnPostStaffAsync()
    {
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
            return Fail(T("请填写用户名和密码。", "Enter your user name and password."));
        var result = accounts.SignIn(UserName, Password);
        // The same words for a wrong name, a wrong password and a locked account.
        if (result.Outcome != SignInOutcome.SignedIn)
            return Fail(T("用户名或密码不对。连续输错 5 次要等 15 分钟，或请管理员重置密码。",
                "Wrong user name or password. After 5 wrong tries wait 15 minutes, or ask an admin to reset it."));
        var account = result.Account!;
        await HttpContext.SignInAsync(AuthApi.Scheme, AuthApi.StaffPrincipal(account, accounts.PersonOf(account), result.MustChangePassword));
        var home = account.Roles.Any(r => LinliClaims.ServiceRoles.Contains(r)) ? "/console" : "/tea";
        var next = ReturnUrl is { Length: > 0 } ? AuthApi.LocalOrHome(ReturnUrl) : home;
        return LocalRedirect(result.MustChangePassword
            ? $"{AccountsModule.PasswordPage}?returnUrl={Uri.EscapeDataString(next)}"
            : next);
    }

    public async Task<IActionResult> OnPostResidentStartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Unit) || string.IsNullOrWhiteSpace(Phone))
            return Fail(T("请填写房号和手机号。", "Enter your flat and mobile number."));
        Pending = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var requester = "ip:" + HttpContext.Connection.RemoteIpAddress;
        var start = await residents.StartAsync(WebChannel, Pending, Unit.Trim(), Phone, requester, cancellationToken);
        switch (start.Outcome)
        {
            case CodeOutcome.NoSuchFlat:
                Pending = null;
                return Fail(T("没有这个房号，或手机号不完整。请核对，比如“3栋502”。", "No such flat, or the mobile number is incomplete. Check them, e.g. “3栋502”."));
            case CodeOutcome.Limited:
                Pending = null;
                Response.Headers.RetryAfter = ((int)Math.Ceiling(start.RetryAfter.TotalSeconds)).ToString();
                var minutes = (int)Math.Ceiling(start.RetryAfter.TotalMinutes);
                return Fail(T($"验证码要得太频繁了，请 {minutes} 分钟后再试，或在聊天里点“转人工”。",
                    $"Too many codes asked for; try again in {minutes} min, or ask staff in the chat."));
            case CodeOutcome.Unavailable:
                Pending = null;
                return Fail(T("现在发不了短信验证码。请在聊天里点“转人工”，或联系物业。", "Codes cannot be sent by SMS just now. Ask staff in the chat, or call the office."));
        }
        // The same words whether or not the number is on file for the flat.
        MaskedPhone = start.MaskedPhone;
        return Page();
    }

    public async Task<IActionResult> OnPostResidentCodeAsync()
    {
        if (Pending is not { Length: 32 } || string.IsNullOrWhiteSpace(Code)) return Fail(T("请输入 6 位验证码。", "Enter the 6-digit code."));
        var (result, code) = residents.Check(WebChannel, Pending, Code);
        switch (result)
        {
            case VerificationResult.WrongCode:
                MaskedPhone = "";
                return Fail(T("验证码不对，请再输一次。", "That code is not right; try again."), keepPending: true);
            case not VerificationResult.Bound:
                Pending = null;
                return Fail(T("验证码已过期，请重新获取。", "The code has expired; ask for a new one."));
        }
        var person = people.Find(code!.CommunityId, code.PersonId)!;
        await HttpContext.SignInAsync(AuthApi.Scheme, AuthApi.ResidentPrincipal(person, code.CommunityId, code.UnitId));
        return LocalRedirect(AuthApi.LocalOrHome(ReturnUrl));
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        if (User.Identity?.IsAuthenticated == true && User.PersonId() is { } who && User.CommunityId() is { } community)
            audit.Record(User, "signout", community, who);
        await HttpContext.SignOutAsync(AuthApi.Scheme);
        return LocalRedirect("/signin" + (English ? "?lang=en" : ""));
    }

    private PageResult Fail(string error, bool keepPending = false)
    {
        Error = error;
        if (!keepPending) Code = null;
        Password = null;
        return Page();
    }
}
