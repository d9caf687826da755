using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Tests.Fakes;

/// <summary>
/// An IIncidentStore in memory, for Core's unit tests: idempotent create, append-only timeline with sequence numbers,
/// conditional state moves. Leases, cards and the interruption sweep always succeed (storage tests cover them).
/// </summary>
internal sealed class InMemoryIncidentStore : IIncidentStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<IncidentId, Incident> _incidents = [];
    private readonly Dictionary<IncidentId, List<TimelineEvent>> _timelines = [];
    private readonly Dictionary<string, IncidentId> _keys = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _incidents.Count;
            }
        }
    }

    public IReadOnlyList<Incident> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _incidents.Values];
            }
        }
    }

    public Task<IncidentCreation> CreateAsync(Incident incident, TimelineEventDraft requested, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(requested);
        lock (_lock)
        {
            if (_keys.TryGetValue(idempotencyKey, out var existing))
            {
                return Task.FromResult(new IncidentCreation(_incidents[existing], Created: false));
            }

            var first = new TimelineEvent(incident.Id, 1, requested.At, requested.Kind, requested.Actor, requested.Summary, requested.Data);
            _keys[idempotencyKey] = incident.Id;
            _incidents[incident.Id] = incident with { LastSequence = 1 };
            _timelines[incident.Id] = [first];
            return Task.FromResult(new IncidentCreation(_incidents[incident.Id], Created: true) { Requested = first });
        }
    }

    public Task<Incident?> GetAsync(IncidentId id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_incidents.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<Incident>> ListAsync(PageRequest page, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Incident>>([.. _incidents.Values.OrderByDescending(i => i.CreatedAt)]);
        }
    }

    public Task<TimelineEvent> AppendAsync(IncidentId id, TimelineEventDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        lock (_lock)
        {
            if (!_timelines.TryGetValue(id, out var list))
            {
                throw new KeyNotFoundException(id.Value);
            }

            var e = new TimelineEvent(id, list.Count + 1, draft.At, draft.Kind, draft.Actor, draft.Summary, draft.Data);
            list.Add(e);
            _incidents[id] = _incidents[id] with { LastSequence = e.Sequence };
            return Task.FromResult(e);
        }
    }

    public Task<IReadOnlyList<TimelineEvent>> TimelineAsync(IncidentId id, long afterSequence, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<TimelineEvent>>(_timelines.TryGetValue(id, out var list) ? [.. list.Where(e => e.Sequence > afterSequence)] : []);
        }
    }

    public Task<bool> UpdateStateAsync(IncidentId id, StateTransition transition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transition);
        lock (_lock)
        {
            if (!_incidents.TryGetValue(id, out var incident) || !transition.From.Contains(incident.State))
            {
                return Task.FromResult(false);
            }

            _incidents[id] = incident with { State = transition.To };
            return Task.FromResult(true);
        }
    }

    /// <summary>Under the one lock, like the database's transaction: nobody sees the state without its events.</summary>
    public Task<IReadOnlyList<TimelineEvent>?> TransitionWithEventsAsync(IncidentId id, StateTransition transition, IReadOnlyList<TimelineEventDraft> drafts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transition);
        ArgumentNullException.ThrowIfNull(drafts);
        lock (_lock)
        {
            if (!_incidents.TryGetValue(id, out var incident) || !transition.From.Contains(incident.State))
            {
                return Task.FromResult<IReadOnlyList<TimelineEvent>?>(null);
            }

            var list = _timelines[id];
            var added = drafts.Select((d, i) => new TimelineEvent(id, list.Count + 1 + i, d.At, d.Kind, d.Actor, d.Summary, d.Data)).ToList();
            list.AddRange(added);
            _incidents[id] = incident with { State = transition.To, RootCauseCodes = transition.RootCauseCodes ?? incident.RootCauseCodes, LastSequence = list.Count };
            return Task.FromResult<IReadOnlyList<TimelineEvent>?>(added);
        }
    }

    public Task<bool> RenewLeaseAsync(IncidentId id, IncidentLease lease, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<bool> SetCardMessageAsync(IncidentId id, CardMessageRef card, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<IReadOnlyList<IncidentId>> MarkInterruptedAsync(InterruptionSweep sweep, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<IncidentId>>([]);
}
