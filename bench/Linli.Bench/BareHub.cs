using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Linli.Bench;

/// <summary>
/// The ceiling for fan-out: a bare ASP.NET Core SignalR hub (one group, <c>Post</c> broadcasts to it; no sign-in, no
/// storage, no sanitizing), run as its own process (this program, "barehub") on loopback.
/// </summary>
public static partial class BareHub
{
    public const string Group = "thread";

    /// <summary>Viewers join the group; a post goes to everyone in it, the poster too.</summary>
    public sealed class FanOutHub : Hub
    {
        public Task Join() => Groups.AddToGroupAsync(Context.ConnectionId, Group);

        public Task Post(string text) => Clients.Group(Group).SendAsync("Posted", text);
    }

    /// <summary>Runs the hub until the process is killed (the bench's child).</summary>
    public static async Task<int> ServeAsync(string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        builder.WebHost.UseUrls(url);
        builder.Services.AddSignalR().AddMessagePackProtocol();
        var app = builder.Build();
        app.UseWebSockets();
        app.MapHub<FanOutHub>("/hub");
        app.MapGet("/healthz", () => "Healthy");
        // The floor for an idle WebSocket: accepted, and read (4 KB at a time, as Linli's streams) until closed.
        app.Map("/ws", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            try
            {
                while ((await socket.ReceiveAsync(buffer, context.RequestAborted)).MessageType
                       != System.Net.WebSockets.WebSocketMessageType.Close) { }
            }
            catch (Exception ex) when (ex is OperationCanceledException or System.Net.WebSockets.WebSocketException) { }
        });
        await app.RunAsync();
        return 0;
    }

    public static Process Start(out Uri url) =>
        ServerProcess.Start(StartInfo(), Listening(), "The bare hub", out url);

    /// <summary>The hub's process, listening on <paramref name="url"/> (a free port when it ends in 0).</summary>
    public static ProcessStartInfo StartInfo(string url = "http://127.0.0.1:0")
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Linli.Bench.dll"));
        start.ArgumentList.Add("barehub");
        start.ArgumentList.Add(url);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        return start;
    }

    [GeneratedRegex(@"Now listening on: (\S+)")]
    private static partial Regex Listening();
}
