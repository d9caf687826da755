using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NetOpsBot.Slack.Inbound;
using NetOpsBot.Slack.Signing;

namespace NetOpsBot.Slack;

/// <summary>
/// Slack's Request URLs. The raw body is read into memory exactly as received, verified, and only then
/// parsed; a request that fails verification gets 401 and changes nothing.
/// </summary>
public static partial class SlackEndpoints
{
    /// <summary>Slack's payloads are a few KiB; anything much larger is not Slack.</summary>
    public const int MaxBodyBytes = 64 * 1024;
    private const string RetryNumHeader = "X-Slack-Retry-Num";
    private static readonly byte[] InChannelAck = """{"response_type":"in_channel"}"""u8.ToArray();

    public static IEndpointRouteBuilder MapNetOpsBotSlack(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetService<SlackOptions>();
        if (options is null || options.Mode != SlackMode.Http)
        {
            // No Slack section: nothing is served. Socket Mode: no public Request URL; Slack reaches the bot over its own WebSocket.
            return endpoints;
        }

        endpoints.MapPost("/slack/commands", CommandAsync);
        endpoints.MapPost("/slack/interactivity", InteractivityAsync);
        return endpoints;
    }

    private static async Task CommandAsync(HttpContext http, SlackSignatureVerifier verifier, SlackWorkspace workspace, SlackInbound inbound, ILoggerFactory logs)
    {
        var body = await ReadVerifiedAsync(http, verifier, logs).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        var form = QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(body));
        if (form.ContainsKey("ssl_check") && !form.ContainsKey("command"))
        {
            // Slack's certificate check of the Request URL: signed, carries no workspace, runs nothing.
            http.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        if (workspace.Refusal(form) is { } refusal)
        {
            RefuseWorkspace(http, logs, refusal);
            return;
        }

        if (!SlashCommand.TryParseForm(body, out var command))
        {
            // Signed by Slack but not a slash command we understand (e.g. ssl_check): acknowledge, do nothing.
            http.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        var ack = await inbound.AcceptCommandAsync(command, http.Request.Headers[RetryNumHeader], http.RequestAborted).ConfigureAwait(false);
        http.Response.StatusCode = StatusCodes.Status200OK;
        if (ack == SlackAck.InChannel)
        {
            http.Response.ContentType = "application/json";
            http.Response.ContentLength = InChannelAck.Length;
            await http.Response.Body.WriteAsync(InChannelAck, http.RequestAborted).ConfigureAwait(false);
        }
    }

    private static async Task InteractivityAsync(HttpContext http, SlackSignatureVerifier verifier, SlackWorkspace workspace, SlackInbound inbound, ILoggerFactory logs)
    {
        var body = await ReadVerifiedAsync(http, verifier, logs).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        var form = QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(body));
        JsonObject? json = null;
        try
        {
            json = form.TryGetValue("payload", out var raw) && raw.Count == 1 ? JsonNode.Parse(raw[0]!) as JsonObject : null;
        }
        catch (JsonException)
        {
        }

        if ((json is null ? "the payload is not a JSON object" : workspace.Refusal(json)) is { } refusal)
        {
            RefuseWorkspace(http, logs, refusal);
            return;
        }

        if (BlockAction.TryParse(json!, out var click))
        {
            await inbound.AcceptActionAsync(click, http.Request.Headers[RetryNumHeader], http.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            LogIgnoredInteraction(logs.CreateLogger(typeof(SlackEndpoints)));
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static void RefuseWorkspace(HttpContext http, ILoggerFactory logs, string reason)
    {
        LogRefusedWorkspace(logs.CreateLogger(typeof(SlackEndpoints)), http.Request.Path.Value ?? "?", reason);
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
    }

    private static async Task<byte[]?> ReadVerifiedAsync(HttpContext http, SlackSignatureVerifier verifier, ILoggerFactory logs)
    {
        var request = http.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return null;
        }

        var body = await ReadBodyAsync(request.BodyReader, http.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return null;
        }

        var check = verifier.Verify(request.Headers[SlackSignatureVerifier.TimestampHeader], request.Headers[SlackSignatureVerifier.SignatureHeader], body);
        if (check != SignatureCheck.Valid)
        {
            LogRefused(logs.CreateLogger(typeof(SlackEndpoints)), request.Path.Value ?? "?", check, http.Connection.RemoteIpAddress?.ToString() ?? "?");
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return null;
        }

        return body;
    }

    private static async Task<byte[]?> ReadBodyAsync(PipeReader reader, CancellationToken ct)
    {
        while (true)
        {
            var result = await reader.ReadAsync(ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length > MaxBodyBytes)
            {
                reader.AdvanceTo(buffer.End);
                return null;
            }

            if (result.IsCompleted)
            {
                var bytes = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return bytes;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack: refused {Path} from {Remote}: {Check}")]
    private static partial void LogRefused(ILogger log, string path, SignatureCheck check, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack: refused {Path} with 401: {Reason}")]
    private static partial void LogRefusedWorkspace(ILogger log, string path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "slack: interactivity payload that is not a NetOpsBot button ignored")]
    private static partial void LogIgnoredInteraction(ILogger log);
}
