using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace NetOpsBot.Slack.Tests.Fake;

internal sealed record SocketAck(bool Acked, JsonObject? Payload, TimeSpan Elapsed);

/// <summary>The fake's Socket Mode side: one-time URLs from apps.connections.open, hello, envelopes, acks, disconnects.</summary>
internal sealed partial class FakeSlack
{
    private readonly ConcurrentDictionary<string, bool> _tickets = new(StringComparer.Ordinal);
    private readonly List<WebSocket> _sockets = [];
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> _pendingAcks = new(StringComparer.Ordinal);
    private int _socketsAccepted;

    /// <summary>WebSocket connections accepted so far.</summary>
    public int SocketsAccepted => Volatile.Read(ref _socketsAccepted);

    public int OpenSockets => SocketsSnapshot().Count(s => s.State == WebSocketState.Open);

    private List<WebSocket> SocketsSnapshot()
    {
        lock (_sockets)
        {
            return [.. _sockets];
        }
    }

    private string NewSocketUrl()
    {
        var ticket = Guid.NewGuid().ToString("N");
        _tickets[ticket] = false;
        return $"ws://{BaseUrl.Authority}/socket?ticket={ticket}&app_id=A0NETOPS01";
    }

    private async Task SocketAsync(HttpContext http)
    {
        var ticket = http.Request.Query["ticket"].ToString();
        // The URL from apps.connections.open is single-use.
        if (!http.WebSockets.IsWebSocketRequest || !_tickets.TryUpdate(ticket, true, false))
        {
            http.Response.StatusCode = 400;
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        lock (_sockets)
        {
            _sockets.Add(socket);
        }

        Interlocked.Increment(ref _socketsAccepted);
        try
        {
            await SendAsync(socket, new JsonObject
            {
                ["type"] = "hello",
                ["num_connections"] = OpenSockets,
                ["debug_info"] = new JsonObject { ["host"] = "fake-slack", ["approximate_connection_time"] = 3600 },
                ["connection_info"] = new JsonObject { ["app_id"] = "A0NETOPS01" },
            });
            var buffer = new byte[64 * 1024];
            while (socket.State == WebSocketState.Open)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, http.RequestAborted);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        return;
                    }

                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                var ack = JsonNode.Parse(message.ToArray()) as JsonObject;
                var id = ack?["envelope_id"]?.GetValue<string>();
                if (id is null || !_pendingAcks.TryRemove(id, out var waiting))
                {
                    Violation("socket mode: a message that acknowledges no pending envelope: " + ack?.ToJsonString());
                    continue;
                }

                waiting.TrySetResult(ack!);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            lock (_sockets)
            {
                _sockets.Remove(socket);
            }
        }
    }

    /// <summary>A slash command as a <c>slash_commands</c> envelope (payload = the form fields as JSON, unsigned).</summary>
    public Task<SocketAck> SocketSlashAsync(string user, string channel, string text)
    {
        var form = System.Web.HttpUtility.ParseQueryString(Slash(user, channel, text).BodyText);
        var payload = new JsonObject();
        foreach (var key in form.AllKeys.OfType<string>())
        {
            payload[key] = form[key];
        }

        return EnvelopeAsync("slash_commands", payload);
    }

    public Task<SocketAck> SocketClickAsync(string user, string channel, string buttonText, bool confirmDialogAccepted = false) =>
        EnvelopeAsync("interactive", ClickPayload(user, channel, buttonText, confirmDialogAccepted));

    /// <summary>Sends an envelope on the newest open connection and waits up to Slack's 3 s for its ack.</summary>
    public async Task<SocketAck> EnvelopeAsync(string type, JsonObject payload, string? envelopeId = null)
    {
        var socket = SocketsSnapshot().LastOrDefault(s => s.State == WebSocketState.Open) ?? throw new InvalidOperationException("no Socket Mode connection");
        var id = envelopeId ?? Guid.NewGuid().ToString();
        var waiting = _pendingAcks.GetOrAdd(id, _ => new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously));
        var sw = Stopwatch.StartNew();
        await SendAsync(socket, new JsonObject { ["envelope_id"] = id, ["type"] = type, ["payload"] = payload, ["accepts_response_payload"] = type == "slash_commands" });
        var done = await Task.WhenAny(waiting.Task, Task.Delay(TimeSpan.FromSeconds(3)));
        if (done != waiting.Task)
        {
            _pendingAcks.TryRemove(id, out _);
            return new SocketAck(false, null, sw.Elapsed);
        }

        var ack = await waiting.Task;
        return new SocketAck(true, ack["payload"] as JsonObject, sw.Elapsed);
    }

    /// <summary>Slack's "disconnect" message on every open connection, then closes them after <paramref name="closeAfter"/>.</summary>
    public async Task DisconnectAsync(string reason, TimeSpan closeAfter)
    {
        var sockets = SocketsSnapshot();
        foreach (var s in sockets)
        {
            await SendAsync(s, new JsonObject { ["type"] = "disconnect", ["reason"] = reason, ["debug_info"] = new JsonObject { ["host"] = "fake-slack" } });
        }

        _ = Task.Run(async () =>
        {
            await Task.Delay(closeAfter);
            foreach (var s in sockets.Where(s => s.State == WebSocketState.Open))
            {
                try
                {
                    await s.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "disconnect", CancellationToken.None);
                }
                catch (WebSocketException)
                {
                }
            }
        });
    }

    /// <summary>Cuts every connection without a close handshake (a network drop).</summary>
    public void DropSockets()
    {
        foreach (var s in SocketsSnapshot())
        {
            s.Abort();
        }
    }

    private readonly SemaphoreSlim _sendGate = new(1, 1);

    private async Task SendAsync(WebSocket socket, JsonObject message)
    {
        await _sendGate.WaitAsync();
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString(Json)), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendGate.Release();
        }
    }
}
