using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Chat;

/// <summary>
/// Shows incidents on one chat platform through its <see cref="ICardSink"/>. Every notification asks for a coalesced
/// publication of its incident (at most one in flight, at least <see cref="ICardSink.MinUpdateInterval"/> apart, the
/// sink reading the latest state, so folding loses nothing); each thread line is queued by its event's sequence and
/// handed to the sink once, in timeline order, after the card exists. A sink that throws loses nothing: the lines
/// stay queued for the next publication, and the failure is reported. <see cref="NotifyAsync"/> only enqueues.
/// </summary>
public class CardPublisher : IChatSurface, IAsyncDisposable
{
    private const int MaxIncidents = 2_000;
    private readonly ICardSink _sink;
    private readonly UpdateCoalescer _coalescer;
    private readonly Lock _gate = new();
    private readonly Dictionary<IncidentId, Lines> _lines = [];

    /// <param name="sink">The platform's protocol edge.</param>
    /// <param name="time">Clock for the update interval.</param>
    /// <param name="onError">Told about a publication that failed (incident id, error); it is retried by the next one.</param>
    public CardPublisher(ICardSink sink, TimeProvider time, Action<string, Exception> onError)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        _coalescer = new UpdateCoalescer(sink.MinUpdateInterval, time, onError);
    }

    public string Platform => _sink.Platform;

    public Task NotifyAsync(IncidentNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (!_sink.Shows(notification.Incident))
        {
            return Task.CompletedTask;
        }

        _sink.Observe(notification);
        var id = notification.Incident.Id;
        if (notification.ThreadText is { } text)
        {
            lock (_gate)
            {
                if (_lines.Count > MaxIncidents && !_lines.ContainsKey(id))
                {
                    // Only incidents with nothing waiting are forgotten: a line is never dropped to make room.
                    foreach (var idle in _lines.Where(l => l.Value.Queued.Count == 0).Select(l => l.Key).ToList())
                    {
                        _lines.Remove(idle);
                    }
                }

                if (!_lines.TryGetValue(id, out var lines))
                {
                    _lines[id] = lines = new Lines();
                }

                var sequence = notification.Event.Sequence;
                if (!lines.Posted.Contains(sequence))
                {
                    lines.Queued.TryAdd(sequence, new ChatLine(notification.Event, text));
                }
            }
        }

        Schedule(id);
        return Task.CompletedTask;
    }

    /// <summary>Asks for a publication of <paramref name="id"/> without a notification (the card was just posted, a click changed it).</summary>
    public void Schedule(IncidentId id) => _coalescer.Schedule(id.Value, ct => PublishAsync(id, ct));

    /// <summary>Waits until every scheduled publication ran (tests, shutdown).</summary>
    public Task DrainAsync() => _coalescer.DrainAsync();

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return _coalescer.DisposeAsync();
    }

    private async Task PublishAsync(IncidentId id, CancellationToken ct)
    {
        var card = await _sink.PublishCardAsync(id, ct).ConfigureAwait(false);
        if (card is null)
        {
            return;
        }

        ChatLine[] batch;
        lock (_gate)
        {
            batch = _lines.TryGetValue(id, out var waiting) ? [.. waiting.Queued.Values.Take(Math.Max(1, _sink.MaxLinesPerPost))] : [];
        }

        if (batch.Length == 0)
        {
            return;
        }

        // Taken off the queue only once they went out: a sink that throws gets the same lines, in order, next time.
        await _sink.PostLinesAsync(id, card, batch, ct).ConfigureAwait(false);
        bool more;
        lock (_gate)
        {
            var lines = _lines[id];
            foreach (var line in batch)
            {
                lines.Queued.Remove(line.Event.Sequence);
                lines.Posted.Add(line.Event.Sequence);
            }

            more = lines.Queued.Count > 0;
        }

        if (more)
        {
            // The rest goes in the next publication, the platform's interval later.
            Schedule(id);
        }
    }

    private sealed class Lines
    {
        public SortedDictionary<long, ChatLine> Queued { get; } = [];

        public HashSet<long> Posted { get; } = [];
    }
}

/// <summary>
/// The publisher of one platform's sink type, so a surface and the workers that ask for its publications can name it
/// in dependency injection (one publisher per platform).
/// </summary>
public sealed class CardPublisher<TSink>(TSink sink, TimeProvider time, Action<string, Exception> onError) : CardPublisher(sink, time, onError)
    where TSink : ICardSink;
