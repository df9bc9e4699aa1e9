using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Linli.Bot.Turns;
using Linli.Hosting;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Linli.Telemetry;

/// <summary>
/// OpenTelemetry for operators: ASP.NET Core (requests, SignalR connections), outgoing HTTP, the runtime, PostgreSQL
/// (Npgsql) and Linli's own meters (turns, deliveries, outbox depth, LiteDB commits and checkpoints), exported over
/// OTLP (<c>Telemetry:Otlp:Endpoint</c>, http/protobuf) and, with <c>Telemetry:Prometheus</c>, scraped at
/// <c>/metrics</c>. Nothing configured, nothing runs. Apart from them, <c>Telemetry:ServerTiming</c> has every answer
/// say how long Linli spent on it (<see cref="UseServerTiming"/>).
/// </summary>
public static class TelemetryModule
{
    private static readonly string[] Meters =
    [
        LinliMetrics.MeterName, TurnRunner.MeterName, "Npgsql", "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Server.Kestrel",
    ];

    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Telemetry").Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (options.Otlp.Endpoint is null && !options.Prometheus) return builder;

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("linli",
                serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}"))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation()
                    .AddMeter(Meters);
                if (options.Otlp.Endpoint is { } endpoint)
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        Point(exporter, endpoint, "v1/metrics");
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds =
                            (int)(options.Otlp.IntervalSeconds * 1000);
                    });
                if (options.Prometheus) metrics.AddPrometheusExporter();
            });
        if (options.Otlp.Endpoint is { } traces)
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation().AddHttpClientInstrumentation()
                .AddSource("Npgsql", "Microsoft.AspNetCore.SignalR.Server")
                .AddOtlpExporter(exporter => Point(exporter, traces, "v1/traces")));
        return builder;
    }

    public static WebApplication MapTelemetry(this WebApplication app)
    {
        var prometheus = app.Configuration.GetValue<bool>("Telemetry:Prometheus");
        // For the operator's scraper inside the network: a request from outside (a public address) finds nothing.
        if (prometheus)
            app.UseOpenTelemetryPrometheusScrapingEndpoint(http =>
                http.Request.Path == "/metrics" && Internal(http.Connection.RemoteIpAddress));
        return app;
    }

    /// <summary>
    /// With <c>Telemetry:ServerTiming</c>, every answer says how long Linli spent on it:
    /// <c>Server-Timing: app;dur=1.23</c> (W3C Server Timing, milliseconds), from the request reaching the app to its
    /// headers leaving, storage waits included. A browser's developer tools show it beside each request; the bench
    /// reads it to tell Linli's time from the network stack's and the machine's. Off by default: how long a request
    /// took is nobody else's business.
    /// </summary>
    public static WebApplication UseServerTiming(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>("Telemetry:ServerTiming")) return app;
        app.Use((context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            context.Response.OnStarting(static state =>
            {
                var (response, began) = ((HttpResponse, long))state;
                var milliseconds = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
                var timing = "app;dur=" + milliseconds.ToString("F2", CultureInfo.InvariantCulture);
                response.Headers["Server-Timing"] = timing;
                return Task.CompletedTask;
            }, (context.Response, started));
            return next(context);
        });
        return app;
    }

    /// <summary>Loopback or a private network's address (no address: the in-memory test server).</summary>
    private static bool Internal(IPAddress? address)
    {
        if (address is null || IPAddress.IsLoopback(address)) return true;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var b = address.GetAddressBytes();
        return address.AddressFamily == AddressFamily.InterNetwork
            ? b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168)
            : address.IsIPv6UniqueLocal || address.IsIPv6LinkLocal;
    }

    /// <summary>OTLP over HTTP: the collector's base address, and each signal's path under it.</summary>
    private static void Point(OtlpExporterOptions exporter, Uri endpoint, string path)
    {
        exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = new Uri(endpoint, path);
    }
}

public sealed class TelemetryOptions
{
    public OtlpOptions Otlp { get; set; } = new();

    /// <summary>Serve <c>/metrics</c> for a Prometheus scraper (counts only: no person's data is in them).</summary>
    public bool Prometheus { get; set; }

    /// <summary>
    /// Answers carry <c>Server-Timing: app;dur=…</c>, Linli's own time on each:
    /// <see cref="TelemetryModule.UseServerTiming"/>.
    /// </summary>
    public bool ServerTiming { get; set; }

    public sealed class OtlpOptions
    {
        /// <summary>The collector's base address (http://collector:4318/); none, no export.</summary>
        public Uri? Endpoint { get; set; }

        /// <summary>How often metrics are sent.</summary>
        public double IntervalSeconds { get; set; } = 30;
    }
}
