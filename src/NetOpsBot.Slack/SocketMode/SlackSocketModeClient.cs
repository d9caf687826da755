using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NetOpsBot.Slack.Inbound;
using NetOpsBot.Slack.WebApi;

namespace NetOpsBot.Slack.SocketMode;

/// <summary>
/// Socket Mode: the bot dials out (<c>apps.connections.open</c> with the app-level token, then a
/// WebSocket), receives envelopes, records each one and acknowledges it by <c>envelope_id</c>, and hands
/// it to the same handlers as the HTTP endpoints. On a <c>disconnect</c> message it opens the next
/// connection before the old one goes; on a dropped socket it reconnects with backoff.
/// </summary>
public sealed partial class SlackSocketModeClient(SlackApiClient api, SlackInbound inbound, SlackWorkspace workspace, TimeProvider time, ILogger<SlackSocketModeClient> log) : BackgroundService
{
    private static readonly TimeSpan OldConnectionGrace = TimeSpan.FromSeconds(10);
    private int _connections;

    /// <summary>Connections opened so far (tests watch reconnects).</summary>
    public int ConnectionsOpened => Volatile.Read(ref _connections);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var socket = await ConnectAsync(stoppingToken).ConfigureAwait(false);
            if (socket is null)
            {
                failures++;
                var backoff = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(failures, 5)) / 2));
                await DelayAsync(backoff, stoppingToken).ConfigureAwait(false);
                continue;
            }

            failures = 0;
            var disconnectAsked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var receiving = ReceiveAsync(socket, disconnectAsked, stoppingToken);
            var first = await Task.WhenAny(disconnectAsked.Task, receiving).ConfigureAwait(false);
            if (first == disconnectAsked.Task)
            {
                // Slack said it will close this one: keep reading it while the next one is opened, then let it go.
                _ = RetireAsync(socket, receiving);
            }
            else
            {
                socket.Dispose();
                if (!stoppingToken.IsCancellationRequested)
                {
                    LogDropped(log);
                    await DelayAsync(TimeSpan.FromMilliseconds(250), stoppingToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task<ClientWebSocket?> ConnectAsync(CancellationToken ct)
    {
        try
        {
            var opened = await api.OpenConnectionAsync(ct).ConfigureAwait(false);
            if (!opened.Ok || !Uri.TryCreate(opened.Text("url"), UriKind.Absolute, out var url) || (url.Scheme != "wss" && url.Scheme != "ws"))
            {
                LogOpenFailed(log, opened.Error ?? "no url");
                return null;
            }

            var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
            // A connection that died without a close frame (a NAT or proxy dropping it) is noticed by an
            // unanswered ping and redialled, instead of leaving the bot deaf.
            socket.Options.KeepAliveTimeout = TimeSpan.FromSeconds(20);
            try
            {
                using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(15));
                await socket.ConnectAsync(url, connectTimeout.Token).ConfigureAwait(false);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            Interlocked.Increment(ref _connections);
            LogConnected(log, _connections);
            return socket;
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            LogOpenFailed(log, ex.GetType().Name);
            return null;
        }
    }

    private async Task ReceiveAsync(ClientWebSocket socket, TaskCompletionSource disconnectAsked, CancellationToken ct)
    {
        var send = new SemaphoreSlim(1, 1);
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open && !ct.IsCancellationRequested)
            {
                message.SetLength(0);
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, ct).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    message.Write(buffer, 0, result.Count);
                    if (message.Length > 1024 * 1024)
                    {
                        LogOversized(log);
                        return;
                    }
                }
                while (!result.EndOfMessage);

                JsonObject? envelope;
                try
                {
                    envelope = JsonNode.Parse(message.ToArray()) as JsonObject;
                }
                catch (JsonException)
                {
                    continue;
                }

                switch (Str(envelope, "type"))
                {
                    case "hello":
                        break;
                    case "disconnect":
                        LogDisconnectAsked(log, Str(envelope, "reason") ?? "?");
                        disconnectAsked.TrySetResult();
                        break;
                    case "slash_commands" or "interactive" when Str(envelope, "envelope_id") is { } envelopeId:
                        // Each envelope on its own task: a slow database write for one must not hold the others.
                        _ = HandleAsync(socket, send, envelope!, envelopeId, ct);
                        break;
                    case { } other when Str(envelope, "envelope_id") is { } unknownId:
                        // Events we do not subscribe to are still acknowledged, or Slack would redeliver them.
                        LogIgnored(log, other);
                        await AckAsync(socket, send, unknownId, null, ct).ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
    }

    private async Task HandleAsync(ClientWebSocket socket, SemaphoreSlim send, JsonObject envelope, string envelopeId, CancellationToken ct)
    {
        try
        {
            JsonObject? ackPayload = null;
            var retry = envelope["retry_attempt"]?.ToJsonString();
            var payload = envelope["payload"] as JsonObject;
            if (payload is not null && workspace.Refusal(payload) is { } refusal)
            {
                // Acknowledged (or Slack would deliver it again), logged, and nothing runs.
                LogRefusedWorkspace(log, Str(envelope, "type") ?? "?", refusal);
            }
            else if (payload is not null)
            {
                if (Str(envelope, "type") == "slash_commands" && SlashCommand.TryParseJson(payload, out var command))
                {
                    var ack = await inbound.AcceptCommandAsync(command, retry, ct).ConfigureAwait(false);
                    ackPayload = ack == SlackAck.InChannel ? new JsonObject { ["response_type"] = "in_channel" } : null;
                }
                else if (Str(envelope, "type") == "interactive" && BlockAction.TryParse(payload, out var click))
                {
                    await inbound.AcceptActionAsync(click, retry, ct).ConfigureAwait(false);
                }
            }

            await AckAsync(socket, send, envelopeId, ackPayload, ct).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // an envelope that fails must not end the connection; Slack redelivers what was not acknowledged
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogEnvelopeFailed(log, ex);
        }
    }

    private static async Task AckAsync(ClientWebSocket socket, SemaphoreSlim send, string envelopeId, JsonObject? payload, CancellationToken ct)
    {
        var ack = new JsonObject { ["envelope_id"] = envelopeId };
        if (payload is not null)
        {
            ack["payload"] = payload;
        }

        var bytes = Encoding.UTF8.GetBytes(ack.ToJsonString());
        await send.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, ct).ConfigureAwait(false);
        }
        finally
        {
            send.Release();
        }
    }

    private async Task RetireAsync(ClientWebSocket socket, Task receiving)
    {
        try
        {
            await Task.WhenAny(receiving, Task.Delay(OldConnectionGrace, time)).ConfigureAwait(false);
            if (socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "refreshing", cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }

    private async Task DelayAsync(TimeSpan wait, CancellationToken ct)
    {
        try
        {
            await Task.Delay(wait, time, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string? Str(JsonObject? o, string key) => o?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack socket mode: refused a {Type} envelope: {Reason}; acknowledged, nothing runs")]
    private static partial void LogRefusedWorkspace(ILogger log, string type, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "slack socket mode: connected (connection #{Count})")]
    private static partial void LogConnected(ILogger log, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack socket mode: could not open a connection: {Reason}")]
    private static partial void LogOpenFailed(ILogger log, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "slack socket mode: Slack asked to reconnect ({Reason})")]
    private static partial void LogDisconnectAsked(ILogger log, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack socket mode: connection dropped; reconnecting")]
    private static partial void LogDropped(ILogger log);

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack socket mode: message over 1 MiB; reconnecting")]
    private static partial void LogOversized(ILogger log);

    [LoggerMessage(Level = LogLevel.Debug, Message = "slack socket mode: {Type} envelope acknowledged and ignored")]
    private static partial void LogIgnored(ILogger log, string type);

    [LoggerMessage(Level = LogLevel.Error, Message = "slack socket mode: an envelope could not be handled")]
    private static partial void LogEnvelopeFailed(ILogger log, Exception ex);
}
