using Microsoft.AspNetCore.SignalR;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scalar.AspNetCore;

namespace Linli.Hosting;

/// <summary>What every endpoint shares: JSON, problem+json errors, OpenAPI, health, the static pages.</summary>
public static class WebDefaults
{
    public static IHostApplicationBuilder AddWebDefaults(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        // Enums in JSON bodies by name only, as in queries and routes (EnumNames): never "3".
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new PeriodJsonConverter());
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        });
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            // Say what was wrong with the request; never leak other exceptions' messages.
            if (ctx.Exception is not BadHttpRequestException bad) return;
            ctx.ProblemDetails.Detail = bad.Message;
            if (JsonField(bad) is { } field)
                ctx.ProblemDetails.Extensions["errors"] =
                    new Dictionary<string, string[]> { [field] = [$"{field} is not one of the values it takes."] };
        });
        builder.Services.AddExceptionHandler<DomainProblemHandler>();
        // Every refusal's words (dialogs/problems.yaml), read and checked now: a broken catalog stops the start.
        _ = ProblemCatalog.Default;
        // The hubs (staff console, tea table): calls rate-limited, refusals said once, enums as names as on the API.
        builder.Services.AddSignalR(o =>
            {
                o.AddFilter<HubRateLimitFilter>();
                o.AddFilter<DomainProblemHubFilter>();
            })
            .AddJsonProtocol(o =>
                o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false)))
            // For clients that speak it (smaller frames, less work a message); enums as names there too.
            .AddMessagePackProtocol();
        builder.Services.AddOpenApi(o => o.AddSchemaTransformer<PeriodSchemaTransformer>());
        // The Razor Pages (sign-in, the console frame, the tea table); modules add their own conventions.
        builder.Services.AddRazorPages();
        // Pages written in Chinese stay readable in their source: encode only what HTML needs encoded.
        builder.Services.AddWebEncoders(o => o.TextEncoderSettings =
            new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        return builder;
    }

    /// <summary>The body's member a JSON value could not be read into ("method" for $.method), if any.</summary>
    private static string? JsonField(BadHttpRequestException bad) =>
        bad.InnerException is System.Text.Json.JsonException { Path: ['$', '.', .. var path] } ? path : null;

    public static WebApplication UseWebDefaults(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex =>
                ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        // Empty 4xx/5xx answers (unknown route, wrong method) get a problem+json body too.
        app.UseStatusCodePages();
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseSecurityHeaders();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseCors();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });

        app.MapOpenApi();
        app.MapScalarApiReference(o => o.WithTitle("Linli API"));
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteHealth }).WithTags("Health");
        app.Lifetime.ApplicationStarted.Register(() => PrintWhereToGo(app));
        return app;
    }

    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        var checks = report.Entries.ToDictionary(e => e.Key,
            e => new { status = e.Value.Status.ToString(), description = e.Value.Description });
        if (report.Status == HealthStatus.Healthy)
            return context.Response.WriteAsJsonAsync(new { status = report.Status.ToString(), checks });
        return Results.Problem(statusCode: context.Response.StatusCode, title: "Linli is not healthy",
            extensions: new Dictionary<string, object?> { ["checks"] = checks }).ExecuteAsync(context);
    }

    private static void PrintWhereToGo(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var url = addresses?.FirstOrDefault();
        if (url is null) return;
        // A plain line on stdout: people read it, and the end-to-end tests find the port in it.
        var local = url.Replace("0.0.0.0", "localhost").Replace("[::]", "localhost");
        Console.WriteLine($"Linli is running at {local}/ — open it in a browser.");
    }

    /// <summary>
    /// Every answer: no type sniffing, the origin only as referrer elsewhere, and a Content-Security-Policy: scripts
    /// and styles from this origin only (no inline script; Web Chat sets inline styles), images from here or data/blob
    /// URLs, no plugins, forms posting here only. "Security:FrameAncestors" (default 'self') says who may embed the
    /// pages, for a community site that frames the chat. A response that set its own policy (an uploaded image) keeps
    /// it.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this WebApplication app)
    {
        var ancestors = app.Configuration["Security:FrameAncestors"] is { Length: > 0 } configured
            ? configured
            : "'self'";
        var policy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
                     "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; media-src 'self' blob:; " +
                     $"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}";
        return app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                // The API reference page (Scalar) brings its own inline script; it shows no resident data.
                if (!headers.ContainsKey("Content-Security-Policy") && !http.Request.Path.StartsWithSegments("/scalar"))
                    headers.ContentSecurityPolicy = policy;
                return Task.CompletedTask;
            });
            return next(http);
        });
    }
}
