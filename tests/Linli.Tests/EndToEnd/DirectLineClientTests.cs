using System.Diagnostics;
using System.Text.Json;
using Linli.Tests.Support;

namespace Linli.Tests.EndToEnd;

/// <summary>Microsoft's botframework-directlinejs, run by Node, against Linli on a real Kestrel port.</summary>
[Trait("Category", "Slow")]
public sealed class DirectLineClientTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private HostProcess _host = null!;
    private Uri _url = null!;

    public async ValueTask InitializeAsync()
    {
        _host = HostProcess.Start(_dir.File("linli.db"));
        _url = await _host.Running;
    }

    public ValueTask DisposeAsync()
    {
        _host.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task MicrosoftsClientStartsPostsHearsRepliesAndReconnects(string mode)
    {
        var result = await RunClientAsync(mode);

        Assert.Equal(mode, result.GetProperty("mode").GetString());
        Assert.Contains("邻里小助手", result.GetProperty("welcome").GetString());
        Assert.Equal("你好，我想查物业费", result.GetProperty("echoed").GetString());
        Assert.Contains("想了解物业费的哪方面？", result.GetProperty("reply").GetString());
        Assert.Equal("3", result.GetProperty("watermark").GetString());
        Assert.Contains("报修", result.GetProperty("reply2").GetString());
        Assert.Equal(0, result.GetProperty("replayedAfterReconnect").GetInt32());
    }

    private async Task<JsonElement> RunClientAsync(string mode)
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "clients", "directline-client.mjs");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, _url.ToString().TrimEnd('/'), mode }) start.ArgumentList.Add(arg);
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = node.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await node.WaitForExitAsync(TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}: {await stderr}");
        var output = await stdout;
        TestContext.Current.TestOutputHelper?.WriteLine(output);
        return JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
    }
}
