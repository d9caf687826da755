using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;

namespace NetOpsBot.Host.WebChat;

/// <summary>One event pushed to every open web chat page (server-sent events).</summary>
internal sealed record WebChatEvent(string Type, string? IncidentId, object Payload);

/// <summary>Fan-out of live events to the pages that are open. Slow pages drop old events, never block the bot.</summary>
internal sealed class WebChatHub
{
    private readonly ConcurrentDictionary<Guid, Channel<WebChatEvent>> _clients = new();

    public int Clients => _clients.Count;

    public void Publish(WebChatEvent e)
    {
        foreach (var client in _clients.Values)
        {
            client.Writer.TryWrite(e);
        }
    }

    public async IAsyncEnumerable<WebChatEvent> SubscribeAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        var channel = Channel.CreateBounded<WebChatEvent>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
        _clients[id] = channel;
        try
        {
            yield return new WebChatEvent("hello", null, new { at = DateTimeOffset.UnixEpoch });
            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }
        }
        finally
        {
            _clients.TryRemove(id, out _);
        }
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
