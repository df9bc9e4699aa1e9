using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Linli.Residents.Sms;

/// <summary>"Sms:TencentCloud": a Tencent Cloud SMS application, its approved signature and code template.</summary>
public sealed class TencentCloudSmsOptions
{
    public const string SectionName = "Sms:TencentCloud";

    [Required] public string SecretId { get; set; } = "";
    [Required] public string SecretKey { get; set; } = "";
    /// <summary>The SMS application's SdkAppId, e.g. 1400006666.</summary>
    [Required] public string SdkAppId { get; set; } = "";
    /// <summary>The approved signature (签名), e.g. 刺桐苑物业.</summary>
    [Required] public string SignName { get; set; } = "";
    /// <summary>
    /// An approved template with two parameters: the code and the minutes it lasts
    /// ("{1}为您的验证码，{2}分钟内有效").
    /// </summary>
    [Required] public string TemplateId { get; set; } = "";
    public string Region { get; set; } = "ap-guangzhou";
    /// <summary>The API address; a test points it at a local fake.</summary>
    [Url] public string Endpoint { get; set; } = "https://sms.tencentcloudapi.com/";
}

/// <summary>
/// Tencent Cloud SMS, API 3.0 <c>SendSms</c> (version 2021-01-11), signed with TC3-HMAC-SHA256. No SDK: one signed JSON
/// POST. A refusal (an error, or a number the provider would not send to) is an <see cref="SmsException"/>.
/// </summary>
public sealed class TencentCloudSmsSender(HttpClient http, IOptions<TencentCloudSmsOptions> options, TimeProvider time,
    ILogger<TencentCloudSmsSender> logger) : ISmsSender
{
    private const string Service = "sms";
    private const string Action = "SendSms";
    private const string Version = "2021-01-11";
    public const string ContentType = "application/json; charset=utf-8";

    public async Task SendCodeAsync(string phone, string code, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var endpoint = new Uri(o.Endpoint);
        var payload = JsonSerializer.Serialize(
            new SendSmsRequest([E164(phone)], o.SdkAppId, o.SignName, o.TemplateId, [code, "10"]));
        var now = time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(payload, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(ContentType);
        request.Headers.TryAddWithoutValidation("Authorization",
            TencentCloudSignature.Authorization(
                o.SecretId, o.SecretKey, Service, endpoint.Authority, ContentType, payload, now));
        request.Headers.Add("X-TC-Action", Action);
        request.Headers.Add("X-TC-Version", Version);
        request.Headers.Add("X-TC-Region", o.Region);
        request.Headers.Add("X-TC-Timestamp", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

        SendSmsResponse? answer;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            answer = await response.Content.ReadFromJsonAsync<SendSmsResponse>(cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException
            or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Tencent Cloud SMS could not be reached for {Phone}", People.PhoneMask.Mask(phone));
            throw new SmsException("The SMS provider could not be reached.", ex);
        }
        if (answer?.Response?.Error is { } error)
        {
            logger.LogError("Tencent Cloud SMS refused a code for {Phone}: {Code} {Message} (request {RequestId})",
                People.PhoneMask.Mask(phone), error.Code, error.Message, answer.Response.RequestId);
            throw new SmsException($"The SMS provider refused: {error.Code}.");
        }
        if (answer?.Response?.SendStatusSet is not [{ Code: "Ok" }])
        {
            var status = answer?.Response?.SendStatusSet?.FirstOrDefault();
            logger.LogError("Tencent Cloud SMS did not send to {Phone}: {Code} {Message}",
                People.PhoneMask.Mask(phone), status?.Code, status?.Message);
            throw new SmsException($"The SMS provider did not send: {status?.Code ?? "no status"}.");
        }
        logger.LogInformation("Code sent by SMS to {Phone} (request {RequestId})",
            People.PhoneMask.Mask(phone), answer.Response.RequestId);
    }

    /// <summary>Mainland mobile numbers as +86…; a number already in +… form is kept.</summary>
    private static string E164(string phone) => phone.StartsWith('+') ? phone : "+86" + phone;

    private sealed record SendSmsRequest(string[] PhoneNumberSet, string SmsSdkAppId, string SignName,
        string TemplateId, string[] TemplateParamSet);

    private sealed record SendSmsResponse(SendSmsResult? Response);

    private sealed record SendSmsResult(SendStatus[]? SendStatusSet, ApiError? Error, string? RequestId);

    private sealed record SendStatus(string? Code, string? Message, string? PhoneNumber);

    private sealed record ApiError(string? Code, string? Message);
}

/// <summary>
/// Tencent Cloud API 3.0's request signature, TC3-HMAC-SHA256, for a JSON POST to "/" signing content-type and host.
/// </summary>
public static class TencentCloudSignature
{
    public static string Authorization(string secretId, string secretKey, string service, string host,
        string contentType, string payload, DateTimeOffset at)
    {
        var date = at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var headers = $"content-type:{contentType}\nhost:{host}\n";
        var canonicalRequest = $"POST\n/\n\n{headers}\ncontent-type;host\n{Sha256Hex(payload)}";
        var scope = $"{date}/{service}/tc3_request";
        var stringToSign = $"TC3-HMAC-SHA256\n{at.ToUnixTimeSeconds()}\n{scope}\n{Sha256Hex(canonicalRequest)}";
        var key = Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("TC3" + secretKey), date), service), "tc3_request");
        var signature = Convert.ToHexStringLower(Hmac(key, stringToSign));
        return $"TC3-HMAC-SHA256 Credential={secretId}/{scope}, SignedHeaders=content-type;host, Signature={signature}";
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
