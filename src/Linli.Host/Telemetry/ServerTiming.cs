using System.Diagnostics;
using System.Globalization;

namespace Linli.Telemetry;

/// <summary>
/// With <c>Telemetry:ServerTiming</c>, every answer says how long Linli spent on it: <c>Server-Timing: app;dur=1.23</c>
/// (W3C Server Timing, milliseconds), from the request reaching the app to its headers leaving, storage waits
/// included. A browser's developer tools show it beside each request; the bench reads it to tell Linli's time from
/// the network stack's and the machine's. Off by default: how long a request took is nobody else's business.
/// </summary>
public static class ServerTiming
{
    public const string Header = "Server-Timing";

    public static WebApplication UseServerTiming(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>("Telemetry:ServerTiming")) return app;
        app.Use((context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            context.Response.OnStarting(static state =>
            {
                var (response, started) = ((HttpResponse, long))state;
                var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                response.Headers[Header] = "app;dur=" + milliseconds.ToString("F2", CultureInfo.InvariantCulture);
                return Task.CompletedTask;
            }, (context.Response, started));
            return next(context);
        });
        return app;
    }
}
