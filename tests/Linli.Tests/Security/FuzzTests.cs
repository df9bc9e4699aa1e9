using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Linli.Storage.LiteDb;
using Linli.Storage;
using Linli.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Security;

/// <summary>
/// Thousands of mutated bodies (bytes flipped, cut, repeated, values swapped for others of any JSON type) against what
/// strangers can reach: never a 500, and a refused request stores nothing. The mutations are seeded, so a failure
/// repeats with the seed it prints.
/// </summary>
public sealed class FuzzTests : IDisposable
{
    private const int Seed = 20261202;
    private readonly LinliAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private LinliDatabase Db => _app.Services.GetRequiredService<LinliDatabase>();

    private static readonly string[] Replacements =
    [
        "null", "true", "0", "-1", "1e309", "\"\"", "[]", "{}", "\"\\u0000\"", "\"" + new string('长', 3000) + "\"",
        "[[[[[[[[[[]]]]]]]]]]", "\"../../etc/passwd\"", "\"<script>alert(1)</script>\"", "\"http://169.254.169.254/\"",
        "\"2026-13-45T99:99:99Z\"", "{\"$type\":\"x\"}",
    ];

    /// <summary>One mutation of <paramref name="seed"/>: text-level, so it may or may not stay JSON.</summary>
    private static string Mutate(string seed, Random random)
    {
        var text = seed;
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            switch (random.Next(6))
            {
                case 0: // a value swapped for another of any type
                    var colon = IndexOfNth(text, ':', random);
                    if (colon < 0) break;
                    var end = text.IndexOfAny([',', '}'], colon + 1);
                    if (end < 0) break;
                    text = text[..(colon + 1)] + Replacements[random.Next(Replacements.Length)] + text[end..];
                    break;
                case 1: // cut short
                    text = text[..random.Next(text.Length)];
                    break;
                case 2: // a byte flipped
                    var chars = text.ToCharArray();
                    if (chars.Length == 0) break;
                    chars[random.Next(chars.Length)] = (char)random.Next(0, 0x3000);
                    text = new string(chars);
                    break;
                case 3: // a piece repeated
                    var at = random.Next(text.Length);
                    var piece = text.Substring(at, Math.Min(random.Next(1, 40), text.Length - at));
                    var repeated = string.Concat(Enumerable.Repeat(piece, random.Next(1, 30)));
                    text = text.Insert(random.Next(text.Length), repeated);
                    break;
                case 4: // a key renamed
                    text = text.Replace("\"type\"", random.Next(2) == 0 ? "\"Type\"" : "\"typ\"");
                    break;
                default: // structure characters
                    text = text.Insert(random.Next(text.Length), "{[\",:]}"[random.Next(7)].ToString());
                    break;
            }
        }
        return text;
    }

    private static int IndexOfNth(string text, char c, Random random)
    {
        var positions = Enumerable.Range(0, text.Length).Where(i => text[i] == c).ToList();
        return positions.Count == 0 ? -1 : positions[random.Next(positions.Count)];
    }

    private static void AssertNot500(HttpResponseMessage response, string body, int i) =>
        Assert.True((int)response.StatusCode < 500,
            $"#{i} (seed {Seed}) answered {(int)response.StatusCode} to: {body[..Math.Min(body.Length, 300)]}");

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task BotFrameworkActivities()
    {
        var random = new Random(Seed);
        var http = _app.CreateClient();
        const string seed = """
            {"type":"message","id":"f-1","channelId":"emulator","serviceUrl":"http://127.0.0.1:9/",
             "deliveryMode":"expectReplies","from":{"id":"u1","name":"陈阿姨"},"recipient":{"id":"bot"},
             "conversation":{"id":"c1"},"text":"我家漏水了","locale":"zh-CN",
             "attachments":[{"contentType":"image/png","contentUrl":"http://127.0.0.1:9/a.png"}],"entities":[],
             "channelData":{"x":1}}
            """;
        for (var i = 0; i < 1200; i++)
        {
            var body = Mutate(seed, random).Replace("\"f-1\"", $"\"f-{i}\"");
            var (processed, states) = (Db.ProcessedActivities.Count(), Db.ConversationStates.Count());
            using var response = await http.PostAsync("/api/messages", Json(body), Ct);
            AssertNot500(response, body, i);
            if (!response.IsSuccessStatusCode)
                Assert.Equal((processed, states), (Db.ProcessedActivities.Count(), Db.ConversationStates.Count()));
        }
    }

    [Fact]
    public async Task DirectLineActivitiesAndTokens()
    {
        var random = new Random(Seed + 1);
        var http = _app.CreateClient();
        var dl = new DirectLineTestClient(http);
        var conversation = await dl.StartAsUserAsync(ct: Ct);
        const string seed = """
            {"type":"message","from":{"id":"USER"},"text":"报修","locale":"zh-CN",
             "channelData":{"clientActivityID":"x-1"},"attachments":[]}
            """;
        var activities = $"/v3/directline/conversations/{conversation.ConversationId}/activities";
        for (var i = 0; i < 1000; i++)
        {
            var body = Mutate(seed.Replace("USER", "dl_0000"), random);
            var before = Db.DirectLineActivities.Count();
            using var request = new HttpRequestMessage(HttpMethod.Post, activities) { Content = Json(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", conversation.Token);
            using var response = await http.SendAsync(request, Ct);
            AssertNot500(response, body, i);
            if (!response.IsSuccessStatusCode) Assert.Equal(before, Db.DirectLineActivities.Count());
        }
        const string tokenSeed = """
            {"user":{"id":"dl_0123456789abcdef","name":"x"},"locale":"zh-CN","userId":"dl_0123456789abcdef"}
            """;
        for (var i = 0; i < 300; i++)
        {
            var body = Mutate(tokenSeed, random);
            var before = Db.DirectLineConversations.Count();
            var path = i % 2 == 0 ? "/api/chat/token" : "/v3/directline/tokens/generate";
            using var response = await http.PostAsync(path, Json(body), Ct);
            AssertNot500(response, body, i);
            if (!response.IsSuccessStatusCode) Assert.Equal(before, Db.DirectLineConversations.Count());
        }
    }

    [Fact]
    public async Task SignInBodiesAndForms()
    {
        var random = new Random(Seed + 2);
        var http = _app.CreateClient();
        for (var i = 0; i < 500; i++)
        {
            var body = Mutate("""{"userName":"manager","password":"not-the-password"}""", random);
            using var response = await http.PostAsync("/api/auth/signin", Json(body), Ct);
            AssertNot500(response, body, i);
            var cookies = response.Headers.TryGetValues("Set-Cookie", out var set) ? set : [];
            Assert.DoesNotContain(cookies, c => c.StartsWith("linli.auth="));
        }
        for (var i = 0; i < 300; i++)
        {
            var form = "UserName=manager&Password=x&Unit=3%E6%A0%8B502&Phone=13800138000&Code=123456&Pending="
                + new string('a', 32);
            var body = Mutate(form, random);
            foreach (var handler in new[] { "Staff", "ResidentStart", "ResidentCode" })
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
                using var response = await http.PostAsync($"/signin?handler={handler}", content, Ct);
                AssertNot500(response, body, i);
            }
        }
    }

    [Fact]
    public async Task Uploads()
    {
        var random = new Random(Seed + 3);
        var resident = await ResidentWeb.SignInAsync(_app, "3栋502");
        var dl = new DirectLineTestClient(_app.CreateClient());
        var conversation = await dl.StartAsUserAsync(ct: Ct);
        var png = Convert.FromBase64String(ResidentChat.OnePixelPng);
        for (var i = 0; i < 300; i++)
        {
            var bytes = png.ToArray();
            for (var n = random.Next(1, 6); n > 0; n--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            if (random.Next(4) == 0) bytes = bytes[..random.Next(bytes.Length)];
            string[] types = ["image/png", "text/html", "application/octet-stream", "image/svg+xml", ""];
            var declared = types[random.Next(5)];
            var name = new[] { "a.png", "x.html", "../../a.png", "a;b.png", "", new string('名', 300) }[random.Next(6)];
            var before = Db.FileStorage.FindAll().Count();

            using var tea = Multipart(bytes, declared, name);
            using var answer = await resident.PostAsync("/api/tea/files", tea, Ct);
            AssertNot500(answer, $"{declared} {name}", i);
            if (!answer.IsSuccessStatusCode) Assert.Equal(before, Db.FileStorage.FindAll().Count());

            before = Db.FileStorage.FindAll().Count();
            using var chat = Multipart(bytes, declared, name);
            var upload = $"/v3/directline/conversations/{conversation.ConversationId}/upload";
            using var request = new HttpRequestMessage(HttpMethod.Post, upload) { Content = chat };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", conversation.Token);
            using var response = await dl.Http.SendAsync(request, Ct);
            AssertNot500(response, $"{declared} {name}", i);
            if (!response.IsSuccessStatusCode) Assert.Equal(before, Db.FileStorage.FindAll().Count());
        }
    }

    private static MultipartFormDataContent Multipart(byte[] bytes, string declared, string name)
    {
        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(bytes);
        if (declared.Length > 0) part.Headers.ContentType = new MediaTypeHeaderValue(declared);
        form.Add(part, "file", name.Length > 0 ? name : "blob");
        return form;
    }
}
