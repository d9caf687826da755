using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// An OTLP/HTTP collector endpoint (POST /v1/traces, /v1/metrics, /v1/logs, protobuf bodies) that keeps what it
/// receives. Tests look for names in the raw protobuf: strings are stored there as plain UTF-8.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Signal, byte[] Body)> _received = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            receiver._received.Enqueue((signal, body.ToArray()));
            http.Response.ContentType = "application/x-protobuf";
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        receiver.Endpoint = new Uri(app.Urls.First());
        return receiver;
    }

    /// <summary>Everything received for one signal (traces, metrics, logs), as Latin-1 text for substring checks.</summary>
    public string Text(string signal) => string.Concat(_received.Where(r => r.Signal == signal).Select(r => System.Text.Encoding.Latin1.GetString(r.Body)));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
