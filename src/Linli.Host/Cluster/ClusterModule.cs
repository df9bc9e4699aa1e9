using Linli.Bot.Turns;
using Linli.Hosting;
using StackExchange.Redis;

namespace Linli.Cluster;

/// <summary>
/// Several Linli instances as one (<c>ConnectionStrings:Redis</c>): SignalR's groups span them (the Redis backplane),
/// they tell each other what a WebSocket open elsewhere must hear, a conversation's turns take turns across them,
/// timed work runs on one at a time, and a thread's neighbours are counted across them. Without Redis, Linli is one
/// instance and none of this is needed.
/// </summary>
public static class ClusterModule
{
    public static IHostApplicationBuilder AddCluster(this IHostApplicationBuilder builder)
    {
        var redis = builder.Configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(redis))
        {
            builder.Services.AddSingleton<SingleInstance>();
            builder.Services.AddSingleton<IClusterSignals>(sp => sp.GetRequiredService<SingleInstance>());
            builder.Services.AddSingleton<IClusterLeases>(sp => sp.GetRequiredService<SingleInstance>());
            builder.Services.AddSingleton<IClusterPresence>(sp => sp.GetRequiredService<SingleInstance>());
            return builder;
        }

        // Several Linli deployments may share one Redis: each one's keys and channels begin with its name.
        var cluster = builder.Configuration["Cluster:Name"] is { Length: > 0 } name ? name : "linli";
        // How often an instance says it is alive: its neighbours on the tea table are counted out four beats after
        // it dies.
        var beat = builder.Configuration.GetValue("Cluster:BeatSeconds", 5.0);
        if (beat is < 0.1 or > 3600)
            throw new StartupProblem($"Cluster:BeatSeconds is {beat}: give 0.1 to 3600 seconds");
        var options = ConfigurationOptions.Parse(redis);
        options.ClientName ??= $"linli-{RedisCluster.ThisProcess}";
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => Connect(options));
        builder.Services.AddSingleton(new OpenBeforeStart(sp => sp.GetRequiredService<IConnectionMultiplexer>()));
        builder.Services.AddSingleton(sp => new RedisCluster(sp.GetRequiredService<IConnectionMultiplexer>(),
            sp.GetRequiredService<ILogger<RedisCluster>>(), cluster: cluster));
        builder.Services.AddSingleton<IClusterSignals>(sp => sp.GetRequiredService<RedisCluster>());
        builder.Services.AddSingleton<IClusterLeases>(sp => sp.GetRequiredService<RedisCluster>());
        builder.Services.AddSingleton<ITurnGate>(sp => sp.GetRequiredService<RedisCluster>());
        builder.Services.AddSingleton<IClusterValues>(sp => sp.GetRequiredService<RedisCluster>());
        builder.Services.AddSingleton(sp => new RedisPresence(sp.GetRequiredService<IConnectionMultiplexer>(),
            sp.GetRequiredService<IClusterLeases>(), sp.GetRequiredService<ILogger<RedisPresence>>(),
            RedisCluster.ThisProcess, cluster, TimeSpan.FromSeconds(beat)));
        builder.Services.AddSingleton<IClusterPresence>(sp => sp.GetRequiredService<RedisPresence>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RedisPresence>());
        builder.Services.AddSignalR().AddStackExchangeRedis(o =>
        {
            o.Configuration = options.Clone();
            o.Configuration.ChannelPrefix = RedisChannel.Literal($"{cluster}:signalr");
        });
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis");
        return builder;
    }

    private static ConnectionMultiplexer Connect(ConfigurationOptions options)
    {
        try
        {
            return ConnectionMultiplexer.Connect(options);
        }
        catch (RedisConnectionException ex)
        {
            throw new StartupProblem($"Redis cannot be reached ({options}): {ex.Message}", ex);
        }
    }
}
