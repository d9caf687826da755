namespace NetOpsBot.Core.Incidents;

/// <summary>What a timeline event records. Persisted as text: never rename one.</summary>
public enum TimelineEventKind
{
    Requested,
    StepStarted,
    StepFinished,
    Verdict,
    RemediationOffered,
    ApprovalGranted,
    ApprovalRejected,
    ActionStarted,
    ActionFinished,
    Recovery,
    Error,
    Interrupted,
    Note,
}
