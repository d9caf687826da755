namespace NetOpsBot.Core.Incidents;

/// <summary>An event to append together with a state move (<see cref="IncidentService.TransitionWithEventsAsync"/>).</summary>
/// <param name="Typed">What happened.</param>
/// <param name="Actor">Who did it.</param>
/// <param name="Summary">Its line.</param>
public sealed record IncidentEventEntry(IncidentEvent Typed, string Actor, string Summary);

public sealed partial class IncidentService
{
    /// <summary>
    /// Moves the incident and appends <paramref name="events"/> in one store write, then tells the surfaces about each
    /// event: a state that ends an incident (Resolved, Diagnosed again) is never seen without the line that says why.
    /// False, with nothing appended, when the move lost its race (the incident is no longer in a From state).
    /// </summary>
    public async Task<bool> TransitionWithEventsAsync(Incident incident, StateTransition transition, IReadOnlyList<IncidentEventEntry> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(transition);
        ArgumentNullException.ThrowIfNull(events);
        var now = _time.GetUtcNow();
        var drafts = events.Select(e => IncidentEvents.Draft(e.Typed, e.Actor, OneLine(e.Summary), now)).ToList();
        var stored = await _store.TransitionWithEventsAsync(incident.Id, transition, drafts, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return false;
        }

        var moved = incident with { State = transition.To, RootCauseCodes = transition.RootCauseCodes ?? incident.RootCauseCodes };
        foreach (var e in stored)
        {
            await NotifySafeAsync(new IncidentNotification(moved, e)).ConfigureAwait(false);
        }

        return true;
    }
}
