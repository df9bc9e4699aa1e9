using StackExchange.Redis;

namespace Linli.Tests.Support;

/// <summary>
/// The Redis server the tests use (<c>LINLI_TEST_REDIS</c>, host:port; <c>scripts/test-servers start</c> prints it).
/// Tests share it, so each names its keys and channels uniquely. Without a server the Redis tests are skipped, except
/// under CI, where they must run.
/// </summary>
public static class TestRedis
{
    public const string Variable = "LINLI_TEST_REDIS";

    public static string? Server => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s : null;

    private static readonly Lazy<ConnectionMultiplexer> Shared = new(() => ConnectionMultiplexer.Connect(Server!));

    /// <summary>A connection to the server; skips the test when none is configured (fails it under CI).</summary>
    public static IConnectionMultiplexer Connect()
    {
        RequireServer();
        return Shared.Value;
    }

    public static string RequireServer()
    {
        if (Server is { } server) return server;
        if (Environment.GetEnvironmentVariable("CI") == "true")
            Assert.Fail($"{Variable} is not set: CI runs the Redis tests (see scripts/test-servers).");
        Assert.Skip($"No Redis: set {Variable} (eval \"$(scripts/test-servers start)\").");
        return "";
    }
}
