using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Chat;

/// <summary>
/// Shows incidents on one chat platform through its <see cref="ICardSink"/>. Every notification asks for a coalesced
/// publication of its incident (at most one in flight, at least <see cref="ICardSink.MinUpdateInterval"/> apart, the
/// sink reading the latest state, so folding loses nothing); each thread line is queued by its event's sequence and
/// handed to the sink once, in timeline order, after the card exists. A sink that throws loses nothing: the lines
/// stay queued for the next publication, and the failure is reported. <see cref="NotifyAsync"/> only enqueues.
/// With a <see cref="ThreadLedger"/> (a thread every replica shares), each publication also reads the incident's
/// timeline after the last event this publisher composed, so a line whose notification never came is posted too, and
/// each line is claimed before it goes out, so it is posted once by all replicas together.
/// </summary>
public class CardPublisher : IChatSurface, IAsyncDisposable
{
    private const int MaxIncidents = 2_000;
    private readonly ICardSink _sink;
    private readonly UpdateCoalescer _coalescer;
    private readonly ThreadLedger? _ledger;
    private readonly Lock _gate = new();
    private readonly Dictionary<IncidentId, Lines> _lines = [];

    /// <param name="sink">The platform's protocol edge.</param>
    /// <param name="time">Clock for the update interval.</param>
    /// <param name="onError">Told about a publication that failed (incident id, error); it is retried by the next one.</param>
    /// <param name="ledger">The stored timeline and claims of a thread shared by replicas; null: a thread of this replica alone (lines only from its notifications).</param>
    public CardPublisher(ICardSink sink, TimeProvider time, Action<string, Exception> onError, ThreadLedger? ledger = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        _ledger = ledger;
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

        if (_ledger is not null)
        {
            await CatchUpAsync(id, _ledger, ct).ConfigureAwait(false);
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

        var mine = new List<ChatLine>(batch.Length);
        try
        {
            foreach (var line in batch)
            {
                if (_ledger is null || await _ledger.ClaimAsync(_sink.Platform, id, line.Event.Sequence, ct).ConfigureAwait(false))
                {
                    mine.Add(line);
                }
            }

            if (mine.Count > 0)
            {
                // Taken off the queue only once they went out: a sink that throws gets the same lines, in order, next time.
                await _sink.PostLinesAsync(id, card, mine, ct).ConfigureAwait(false);
            }
        }
        catch (Exception) when (_ledger is not null)
        {
            // Claimed but not posted: give the claims back so the next publication (here or on another replica) posts them.
            await ReleaseAsync(id, mine, _ledger).ConfigureAwait(false);
            throw;
        }

        bool more;
        lock (_gate)
        {
            var lines = _lines[id];
            foreach (var line in batch)
            {
                // A line another replica claimed is in the thread as well: done here too.
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

    /// <summary>
    /// Queues the lines of the events stored since this publisher last looked, decided by the same rules as the
    /// notifications' lines (the same text for the same sequence, so one queued from its notification is not doubled).
    /// Publications of one incident never overlap, so the composing state is only touched here.
    /// </summary>
    private async Task CatchUpAsync(IncidentId id, ThreadLedger ledger, CancellationToken ct)
    {
        Lines lines;
        lock (_gate)
        {
            if (!_lines.TryGetValue(id, out lines!))
            {
                _lines[id] = lines = new Lines();
            }
        }

        var stored = await ledger.TimelineAsync(id, lines.Composed.LastSequence, ct).ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var e in stored.OrderBy(e => e.Sequence))
            {
                if (e.Sequence > lines.Composed.LastSequence && ThreadLines.Next(lines.Composed, e) is { } text && !lines.Posted.Contains(e.Sequence))
                {
                    lines.Queued.TryAdd(e.Sequence, new ChatLine(e, text));
                }
            }
        }
    }

    private async Task ReleaseAsync(IncidentId id, List<ChatLine> claimed, ThreadLedger ledger)
    {
        foreach (var line in claimed)
        {
            try
            {
                await ledger.ReleaseAsync(_sink.Platform, id, line.Event.Sequence, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // best effort: the publication's own failure is what gets reported
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private sealed class Lines
    {
        public SortedDictionary<long, ChatLine> Queued { get; } = [];

        public HashSet<long> Posted { get; } = [];

        /// <summary>How far the stored timeline was read (with a ledger), and what its lines so far decide for the next.</summary>
        public ThreadLineState Composed { get; } = new();
    }
}

/// <summary>
/// The publisher of one platform's sink type, so a surface and the workers that ask for its publications can name it
/// in dependency injection (one publisher per platform).
/// </summary>
public sealed class CardPublisher<TSink>(TSink sink, TimeProvider time, Action<string, Exception> onError, ThreadLedger? ledger = null) : CardPublisher(sink, time, onError, ledger)
    where TSink : ICardSink;
