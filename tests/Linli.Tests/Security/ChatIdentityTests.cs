using System.Net.Http.Json;
using System.Text.Json;
using Linli.Tests.Support;

namespace Linli.Tests.Security;

/// <summary>A browser comes back to the chat as the same user only with the key the server signed for it.</summary>
public sealed class ChatIdentityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ABareUserIdIsNotEnoughToSpeakAsThatResident()
    {
        using var app = new LinliAppFactory();
        var http = app.CreateClient();
        async Task<JsonElement> TokenAsync(object body) =>
            await (await http.PostAsJsonAsync("/api/chat/token", body, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        var first = await TokenAsync(new { locale = "zh-CN" });
        var (userId, key) = (first.GetProperty("userId").GetString()!, first.GetProperty("userKey").GetString()!);
        Assert.StartsWith(userId + ".", key);

        Assert.Equal(userId, (await TokenAsync(new { userKey = key })).GetProperty("userId").GetString());
        Assert.NotEqual(userId, (await TokenAsync(new { userId })).GetProperty("userId").GetString());
        var forged = userId + ".0000000000000000000000000000000";
        Assert.NotEqual(userId, (await TokenAsync(new { userKey = forged })).GetProperty("userId").GetString());
        Assert.NotEqual(userId, (await TokenAsync(new { userKey = userId })).GetProperty("userId").GetString());
    }
}
