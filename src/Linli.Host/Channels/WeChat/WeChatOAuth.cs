using System.Net;
using System.Text;
using Linli.Accounts;
using Linli.People;
using Linli.Residents;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Linli.Channels.WeChat;

/// <summary>
/// Web authorization (网页授权, <c>snsapi_base</c>) for the links the bot gives WeChat users: the link goes to
/// <c>/wechat/oauth?return=/tea</c>, WeChat's browser comes back with a code, the code names the user's openid, and
/// a follower whose flat is bound arrives signed in as themselves: no sign-in page, no link that works for anyone
/// who copies it.
/// </summary>
public static class WeChatOAuth
{
    public const string Start = "/wechat/oauth";
    public const string Callback = "/wechat/oauth/callback";
    private const string StateCookie = "linli.wxoauth";
    private static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(10);

    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(Start, Begin).WithTags("WeChat").ExcludeFromDescription();
        routes.MapGet(Callback, FinishAsync).WithTags("WeChat").ExcludeFromDescription()
            .RequireRateLimiting(Hosting.RateLimits.SignIn);
        return routes;
    }

    /// <summary>A link to <paramref name="returnPath"/> for a WeChat user, through web authorization.</summary>
    public static string LinkTo(string siteBase, string returnPath) =>
        $"{siteBase}{Start}?return={Uri.EscapeDataString(returnPath)}";

    /// <summary>
    /// Off to WeChat. The state WeChat carries back is a random nonce (WeChat takes letters and digits, 128 at most);
    /// the nonce and where to go after are in a protected cookie of this browser's, so a callback URL sent to someone
    /// else signs nobody in.
    /// </summary>
    private static IResult Begin(
        HttpContext http, string? @return, IOptions<WeChatOptions> options, IDataProtectionProvider protection,
        IConfiguration configuration)
    {
        var o = options.Value;
        if (!o.Enabled || o.AppId is not { Length: > 0 } appId) return Results.NotFound();
        var state = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var cookie = Protector(protection).Protect($"{state}|{AuthApi.LocalOrHome(@return)}", StateLifetime);
        http.Response.Cookies.Append(StateCookie, cookie, new CookieOptions
        {
            HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Lax, Path = Callback,
            MaxAge = StateLifetime,
        });
        var back = $"{WeChatApi.PublicOrigin(configuration, http.Request)}{Callback}";
        var url = $"{o.OAuthBase.TrimEnd('/')}/connect/oauth2/authorize?appid={Uri.EscapeDataString(appId)}" +
                  $"&redirect_uri={Uri.EscapeDataString(back)}&response_type=code&scope=snsapi_base" +
                  $"&state={Uri.EscapeDataString(state)}#wechat_redirect";
        return Results.Redirect(url);
    }

    private static async Task<IResult> FinishAsync(
        HttpContext http,
        string? code,
        string? state,
        WeChatClient client,
        IResidentBindingStore bindings,
        IPeopleStore people,
        IDataProtectionProvider protection,
        CancellationToken cancellationToken)
    {
        var returnPath = ReturnPath(http, state, protection);
        http.Response.Cookies.Delete(StateCookie, new CookieOptions { Path = Callback });
        if (returnPath is null)
            return Refused("这个链接已过期，请回到公众号里重新点开。", "The link has expired: open it again from the chat.");
        if (code is not { Length: > 0 } || await client.OpenIdForCodeAsync(code, cancellationToken) is not { } openId)
            return Refused("微信没有确认您的身份，请回到公众号里重新点开。", "WeChat did not confirm who you are.");
        if (bindings.Find(WeChatChannel.Id, openId) is not { } binding
            || people.Find(binding.CommunityId, binding.PersonId) is not { } person)
            return Refused("请先在公众号里绑定房号，再打开这个页面。", "Bind your flat in the chat first.");
        await http.SignInAsync(AuthApi.Scheme, AuthApi.ResidentPrincipal(person, binding.CommunityId, binding.UnitId));
        return Results.LocalRedirect(returnPath);
    }

    /// <summary>Where to go, when this browser's cookie holds the nonce WeChat brought back; otherwise null.</summary>
    private static string? ReturnPath(HttpContext http, string? state, IDataProtectionProvider protection)
    {
        if (state is not { Length: > 0 } || http.Request.Cookies[StateCookie] is not { } cookie) return null;
        try
        {
            var kept = Protector(protection).Unprotect(cookie);
            var bar = kept.IndexOf('|');
            return bar > 0 && CryptographicEquals(kept[..bar], state) ? kept[(bar + 1)..] : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private static bool CryptographicEquals(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    private static ITimeLimitedDataProtector Protector(IDataProtectionProvider protection) =>
        protection.CreateProtector("Linli.WeChat.OAuth.State").ToTimeLimitedDataProtector();

    /// <summary>A page WeChat's browser shows: what went wrong and what to do, in plain words.</summary>
    private static IResult Refused(string zh, string en)
    {
        var html = "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\">" +
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>邻里</title>" +
                   "<link rel=\"stylesheet\" href=\"/site.css\"><main><h1>邻里</h1>" +
                   $"<p>{WebUtility.HtmlEncode(zh)}</p><p lang=\"en\">{WebUtility.HtmlEncode(en)}</p>" +
                   "</main></html>";
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status403Forbidden);
    }
}
