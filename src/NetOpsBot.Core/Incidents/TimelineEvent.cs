namespace NetOpsBot.Core.Incidents;

/// <summary>
/// A stored timeline event. <see cref="Sequence"/> starts at 1 (the Requested event) and grows by exactly
/// one per event of the incident, with no gaps, whatever replica appended it. Events are never changed.
/// </summary>
public sealed record TimelineEvent(
    IncidentId IncidentId,
    long Sequence,
    DateTimeOffset At,
    TimelineEventKind Kind,
    string Actor,
    string Summary,
    string? Data);
