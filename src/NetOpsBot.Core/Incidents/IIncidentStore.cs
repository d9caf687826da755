namespace NetOpsBot.Core.Incidents;

/// <summary>
/// Durable incidents and their append-only timelines, shared by every host replica. All methods are safe
/// to call concurrently from several replicas.
/// </summary>
public interface IIncidentStore
{
    /// <summary>
    /// Stores a new incident with its Requested event (sequence 1). If <paramref name="idempotencyKey"/> was
    /// used before, nothing is stored and the earlier incident is returned with Created = false.
    /// </summary>
    Task<IncidentCreation> CreateAsync(Incident incident, TimelineEventDraft requested, string idempotencyKey, CancellationToken cancellationToken);

    Task<Incident?> GetAsync(IncidentId id, CancellationToken cancellationToken);

    /// <summary>Incidents, newest first.</summary>
    Task<IReadOnlyList<Incident>> ListAsync(PageRequest page, CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="limit"/> incidents of one device, newest first (open-incident joins, history).</summary>
    async Task<IReadOnlyList<Incident>> ListForDeviceAsync(Devices.DeviceName device, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var found = new List<Incident>();
        for (var offset = 0; found.Count < limit; offset += PageRequest.MaxLimit)
        {
            var page = await ListAsync(new PageRequest(offset, PageRequest.MaxLimit), cancellationToken).ConfigureAwait(false);
            found.AddRange(page.Where(i => i.Device == device));
            if (page.Count < PageRequest.MaxLimit)
            {
                break;
            }
        }

        return [.. found.Take(limit)];
    }

    /// <summary>
    /// Appends an event with the incident's next sequence number, assigned atomically across replicas.
    /// Throws <see cref="KeyNotFoundException"/> when the incident does not exist.
    /// </summary>
    Task<TimelineEvent> AppendAsync(IncidentId id, TimelineEventDraft draft, CancellationToken cancellationToken);

    /// <summary>The timeline in sequence order, events after <paramref name="afterSequence"/> (0 for all).</summary>
    Task<IReadOnlyList<TimelineEvent>> TimelineAsync(IncidentId id, long afterSequence, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="transition"/> if the incident is still in one of its From states; false when
    /// it does not exist or someone else moved it first.
    /// </summary>
    Task<bool> UpdateStateAsync(IncidentId id, StateTransition transition, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="transition"/> and appends <paramref name="drafts"/> (the incident's next sequence numbers,
    /// in order) in one transaction, so no reader sees the new state without its events (a Resolved incident without its
    /// closing line) nor the events of a move that lost its race. Null, with nothing appended, when the incident does not
    /// exist or is no longer in one of the transition's From states.
    /// </summary>
    Task<IReadOnlyList<TimelineEvent>?> TransitionWithEventsAsync(IncidentId id, StateTransition transition, IReadOnlyList<TimelineEventDraft> drafts, CancellationToken cancellationToken);

    /// <summary>Heartbeat: extends the lease if <paramref name="lease"/>'s owner still holds it; false otherwise.</summary>
    Task<bool> RenewLeaseAsync(IncidentId id, IncidentLease lease, CancellationToken cancellationToken);

    /// <summary>Records (or replaces) the card message of the incident on one platform; false when the incident does not exist.</summary>
    Task<bool> SetCardMessageAsync(IncidentId id, CardMessageRef card, CancellationToken cancellationToken);

    /// <summary>
    /// Restart recovery: moves matching in-progress incidents to Interrupted, each with an Interrupted event,
    /// clears their lease and returns their ids. Two replicas sweeping at once interrupt each incident once.
    /// </summary>
    Task<IReadOnlyList<IncidentId>> MarkInterruptedAsync(InterruptionSweep sweep, CancellationToken cancellationToken);
}
