using System.Text.Json;
using Linli.Residents;
using Linli.Residents.Sms;
using Linli.People;
using Linli.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Residents;

/// <summary>
/// One-time codes by Tencent Cloud SMS, against a local fake that speaks its API 3.0 wire format and checks the
/// signature.
/// </summary>
public sealed class TencentCloudSmsTests : IAsyncDisposable
{
    private const string SecretId = "AKIDtest0000000000000000000000000000";
    private const string SecretKey = "test-secret-key-0000000000000000";
    private readonly List<(JsonElement Body, Dictionary<string, string> Headers, bool SignatureGood)> _calls = [];
    private string _answer = "ok";
    private WebApplication? _fake;
    private LinliAppFactory? _app;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void TheSignatureMatchesTheProvidersPublishedExample()
    {
        // Tencent Cloud's documented example (CVM DescribeInstances, 2019-02-25): the same request, the same signature.
        const string payload =
            """{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}""";
        var authorization = TencentCloudSignature.Authorization("AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******",
            "Gu5t9xGARNpq86cd98joQYCN3*******", "cvm", "cvm.tencentcloudapi.com", "application/json; charset=utf-8",
            payload, DateTimeOffset.FromUnixTimeSeconds(1551113065));
        Assert.Equal("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, "
            + "SignedHeaders=content-type;host, "
            + "Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c", authorization);
    }

    private async Task<ResidentDirectory> StartAsync()
    {
        _fake = LoopbackServer.Create();
        _fake.MapPost("/", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var at = DateTimeOffset.FromUnixTimeSeconds(long.Parse(http.Request.Headers["X-TC-Timestamp"]!));
            var expected = TencentCloudSignature.Authorization(SecretId, SecretKey, "sms", http.Request.Host.Value!,
                http.Request.ContentType!, body, at);
            var good = http.Request.Headers.Authorization == expected;
            var headers = http.Request.Headers
                .ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            lock (_calls) _calls.Add((JsonDocument.Parse(body).RootElement.Clone(), headers, good));
            if (!good)
            {
                var error = new { Code = "AuthFailure.SignatureFailure", Message = "bad signature" };
                return Results.Json(new { Response = new { Error = error, RequestId = "r0" } });
            }
            var status = _answer == "ok"
                ? new { SerialNo = "2640:1", PhoneNumber = "+86", Fee = 1, Code = "Ok", Message = "send success" }
                : new { SerialNo = "", PhoneNumber = "+86", Fee = 0, Code = _answer, Message = "limit" };
            var requestId = _answer == "ok" ? "r1" : "r2";
            return Results.Json(new { Response = new { SendStatusSet = new[] { status }, RequestId = requestId } });
        });
        var url = await LoopbackServer.StartAsync(_fake);
        _app = new LinliAppFactory(new()
        {
            ["Sms:Provider"] = "TencentCloud", ["Sms:TencentCloud:Endpoint"] = url + "/",
            ["Sms:TencentCloud:SecretId"] = SecretId, ["Sms:TencentCloud:SecretKey"] = SecretKey,
            ["Sms:TencentCloud:SdkAppId"] = "1400000001", ["Sms:TencentCloud:SignName"] = "刺桐苑物业",
            ["Sms:TencentCloud:TemplateId"] = "100001",
        });
        return _app.Services.GetRequiredService<ResidentDirectory>();
    }

    [Fact]
    public async Task ACodeGoesOutSignedAndBindsTheFlat()
    {
        var residents = await StartAsync();
        var phone = ResidentPhone("3栋502");
        var start = await residents.StartAsync("web", "u1", "3栋502", phone, "ip:10.0.0.1", Ct);
        Assert.Equal(CodeOutcome.Sent, start.Outcome);

        var (body, headers, good) = Assert.Single(_calls);
        Assert.True(good, "The fake recomputed the TC3 signature and it differed.");
        Assert.Equal(("SendSms", "2021-01-11", "ap-guangzhou"),
            (headers["X-TC-Action"], headers["X-TC-Version"], headers["X-TC-Region"]));
        Assert.Equal(["+86" + phone], body.GetProperty("PhoneNumberSet").EnumerateArray().Select(p => p.GetString()));
        string? Text(string name) => body.GetProperty(name).GetString();
        Assert.Equal(("1400000001", "刺桐苑物业", "100001"),
            (Text("SmsSdkAppId"), Text("SignName"), Text("TemplateId")));
        var code = body.GetProperty("TemplateParamSet")[0].GetString()!;
        Assert.Equal(VerificationResult.Bound, residents.Verify("web", "u1", code));
    }

    [Fact]
    public async Task AProviderRefusalSaysAskStaffAndLeavesNoCodePending()
    {
        var residents = await StartAsync();
        _answer = "LimitExceeded.PhoneNumberDailyLimit";
        var start = await residents.StartAsync("web", "u1", "3栋502", ResidentPhone("3栋502"), "ip:10.0.0.1", Ct);
        Assert.Equal(CodeOutcome.Unavailable, start.Outcome);
        Assert.Equal(VerificationResult.NoCodePending, residents.Verify("web", "u1", "000000"));
    }

    private string ResidentPhone(string flat)
    {
        var unit = _app!.Services.GetRequiredService<ResidentDirectory>().FindUnit(flat)!;
        return _app.Services.GetRequiredService<IPeopleStore>().OfUnit(unit.CommunityId, unit.Id).First().Phone;
    }

    public async ValueTask DisposeAsync()
    {
        _app?.Dispose();
        if (_fake is not null) await _fake.DisposeAsync();
    }
}
