namespace NetOpsBot.Core.Incidents;

/// <summary>
/// Result of <see cref="IIncidentStore.CreateAsync"/>: <see cref="Created"/> is false when the idempotency
/// key was used before, and <see cref="Incident"/> is then the incident that request created (start the
/// work only when Created is true: the same chat request delivered twice runs once).
/// </summary>
public sealed record IncidentCreation(Incident Incident, bool Created)
{
    /// <summary>The stored Requested event (sequence 1) when <see cref="Created"/>, so the caller need not read it back.</summary>
    public TimelineEvent? Requested { get; init; }
}
