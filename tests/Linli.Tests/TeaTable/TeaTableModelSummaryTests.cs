using System.Net.Http.Json;
using System.Text.Json;
using Linli.Tests.Support;

namespace Linli.Tests.TeaTable;

/// <summary>With a chat model configured, the summary comes from prompts/TeaTable/summarize.yaml.</summary>
public sealed class TeaTableModelSummaryTests : WithChatModel
{
    [Fact]
    public async Task TheModelSummarisesThePostsAndTheTally()
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = await ResidentWeb.SignInAsync(App, "3栋501");
        var started = await alice.PostAsJsonAsync("/api/tea/threads",
            new { title = "停车收益怎么用", text = "建议修健身器材。" }, ct);
        var thread = (await started.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetInt32();
        Model.Reply = "大家倾向于先修健身器材；有人担心费用，联系电话 13912345678。";
        var answer = await alice.GetAsync($"/api/tea/threads/{thread}/summary", ct);
        var summary = await answer.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal("model", summary.GetProperty("source").GetString());
        Assert.Equal("大家倾向于先修健身器材；有人担心费用，联系电话 139****5678。",
            summary.GetProperty("text").GetString());
        var messages = Model.Requests.Last().GetProperty("messages").EnumerateArray();
        var prompt = string.Join("\n", messages.Select(m => m.GetProperty("content").GetString()));
        Assert.Contains("停车收益怎么用", prompt);
        Assert.Contains("建议修健身器材。", prompt);
    }
}
