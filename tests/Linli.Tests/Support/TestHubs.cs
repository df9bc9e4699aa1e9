using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Tests.Support;

/// <summary>
/// SignalR's .NET client against the in-memory test server, carrying a browser's cookie (long polling, enums as names).
/// </summary>
public static class TestHubs
{
    public static HubConnection Connect(
        WebApplicationFactory<Program> app, string path, string cookie, bool messagePack = false)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, path.TrimStart('/')), o =>
            {
                o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                if (cookie.Length > 0) o.Headers["Cookie"] = cookie;
            });
        return messagePack
            ? builder.AddMessagePackProtocol().Build()
            : builder.AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(
                new System.Text.Json.Serialization.JsonStringEnumConverter())).Build();
    }
}
