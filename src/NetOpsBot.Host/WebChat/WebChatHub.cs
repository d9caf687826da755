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

    private readonly Dictionary<string, int> _streamsByOwner = new(StringComparer.Ordinal);
    private int _streams;

    public int Clients => _clients.Count;

    /// <summary>
    /// A place for one more live stream of <paramref name="owner"/>, or null with the reason when the host-wide or the
    /// owner's cap is reached (each open stream holds a socket and a 1,000-event buffer).
    /// </summary>
    public IDisposable? TryOpenStream(string owner, int maxTotal, int maxPerOwner, out string? refusal)
    {
        lock (_streamsByOwner)
        {
            if (_streams >= maxTotal)
            {
                refusal = $"Too many live web chat connections on this host ({maxTotal}, NetOps:WebChat:MaxStreamClients); try again later.";
                return null;
            }

            var mine = _streamsByOwner.GetValueOrDefault(owner);
            if (mine >= maxPerOwner)
            {
                refusal = $"You already have {mine} live web chat connections open (at most {maxPerOwner}, NetOps:WebChat:MaxStreamClientsPerUser); close a tab.";
                return null;
            }

            _streamsByOwner[owner] = mine + 1;
            _streams++;
            refusal = null;
            return new StreamLease(this, owner);
        }
    }

    private void CloseStream(string owner)
    {
        lock (_streamsByOwner)
        {
            _streams--;
            if (--_streamsByOwner[owner] == 0)
            {
                _streamsByOwner.Remove(owner);
            }
        }
    }

    private sealed class StreamLease(WebChatHub hub, string owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                hub.CloseStream(owner);
            }
        }
    }

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
