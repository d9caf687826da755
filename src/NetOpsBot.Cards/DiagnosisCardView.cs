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
}
