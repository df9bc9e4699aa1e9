using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
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
        builder.Services.Configure<JsonOptions>(o => { o.SerializerOptions.Converters.Add(new PeriodJsonConverter()); o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()); });
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            // Say what was wrong with the request; never leak other exceptions' messages.
            if (ctx.Exception is BadHttpRequestException bad) ctx.ProblemDetails.Detail = bad.Message;
        });
        builder.Services.AddOpenApi(o => o.AddSchemaTransformer<PeriodSchemaTransformer>());
        // Pages written in Chinese stay readable in their source: encode only what HTML needs encoded.
        builder.Services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        return builder;
    }

    public static WebApplication UseWebDefaults(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        // Empty 4xx/5xx answers (unknown route, wrong method) get a problem+json body too.
        app.UseStatusCodePages();
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
        var checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description });
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
        Console.WriteLine($"Linli is running at {url.Replace("0.0.0.0", "localhost").Replace("[::]", "localhost")}/ — open it in a browser.");
    }
}
