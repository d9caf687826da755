namespace NetOpsBot.Cards;

/// <summary>
/// Channel-neutral state of one diagnosis card. Built only by <see cref="DiagnosisCardViewBuilder"/> and
/// rendered by <see cref="AdaptiveCardRenderer"/> and <see cref="BlockKitRenderer"/>.
/// </summary>
public sealed record DiagnosisCardView(
    string IncidentId,
    string Device,
    string Requester,
    CardRunStatus Status,
    DateTimeOffset StartedAt,
    TimeSpan Elapsed)
{
    public IReadOnlyList<StepView> Steps { get; init; } = [];

    public IReadOnlyList<VerdictView> Verdicts { get; init; } = [];

    public IReadOnlyList<RemediationOfferView> Offers { get; init; } = [];

    /// <summary>A line for the whole card (why it was interrupted, for instance).</summary>
    public string? Note { get; init; }

    /// <summary>Where the whole incident (all raw output) can be read; the target of truncation pointers.</summary>
    public Uri? IncidentUrl { get; init; }

    /// <summary>The monitoring alert that opened the incident; null when a person asked.</summary>
    public CardOrigin? Origin { get; init; }

    /// <summary>The story in one line once the incident closed ("Resolved in 4 min 51 s: …"), shown on top.</summary>
    public string? Headline { get; init; }

    /// <summary>The run the steps above belong to (1: the initial diagnosis).</summary>
    public int Run { get; init; } = 1;

    /// <summary>What the current run is, when it is not the initial diagnosis ("After default route (REQ-1)").</summary>
    public string? RunTitle { get; init; }

    /// <summary>Runs before the current one, oldest first: the original evidence stays one click away.</summary>
    public IReadOnlyList<RunView> EarlierRuns { get; init; } = [];

    /// <summary>Where each run's step outputs live.</summary>
    public CardLinks Links { get; init; } = CardLinks.None;

    /// <summary>What kind of incident this is: its runbook's title ("SSH diagnosis"), first in the footer.</summary>
    public string Kind { get; init; } = "Diagnosis";

    /// <summary>The runbook's chat command ("/sshdiag"), for "… incident ID" pointers; null names none.</summary>
    public string? Command { get; init; }
}
