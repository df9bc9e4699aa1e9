using Linli.Tests.Support;

namespace Linli.Tests.Security;

/// <summary>Every page says where its scripts may come from, who may frame it, and what to send as referrer.</summary>
public sealed class HeaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/")]
    [InlineData("/signin")]
    [InlineData("/api/communities")]
    public async Task PagesAndAnswersCarryThePolicy(string path)
    {
        using var app = new LinliAppFactory(
            new() { ["Security:FrameAncestors"] = "'self' https://citong.example.org" });
        var response = await app.CreateClient().GetAsync(path, Ct);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.DoesNotContain("'unsafe-inline'", csp.Split(';').Single(d => d.Trim().StartsWith("script-src")));
        Assert.Contains("frame-ancestors 'self' https://citong.example.org", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task HttpsAnswersOutsideDevelopmentCarryHsts()
    {
        using var app = new LinliAppFactory(environment: "Production");
        var http = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://linli.example.org"),
        });
        var response = await http.GetAsync("/healthz", Ct);
        Assert.StartsWith("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single());
    }
}
