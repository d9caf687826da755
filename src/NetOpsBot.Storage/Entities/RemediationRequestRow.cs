namespace NetOpsBot.Storage.Entities;

/// <summary>
/// Table <c>remediation_requests</c>. <see cref="Version"/> is a concurrency token bumped by every change;
/// <see cref="ExecutionOwner"/>/<see cref="LeaseUntil"/> tell a live executing host from a dead one.
/// </summary>
internal sealed class RemediationRequestRow
{
    public required string Id { get; set; }

    public required string IncidentId { get; set; }

    public required string PlanId { get; set; }

    public required string DeviceName { get; set; }

    public required string Kind { get; set; }

    /// <summary>The exact command lines as a JSON array of strings.</summary>
    public required string Commands { get; set; }

    public bool SaveBeforeReboot { get; set; }

    public DateTimeOffset DiagnosisAt { get; set; }

    /// <summary>Root-cause codes separated by ','; codes are kebab-case and never contain one.</summary>
    public required string RootCauses { get; set; }

    public required string RequesterPlatform { get; set; }

    public required string RequesterUserId { get; set; }

    public required string RequesterDisplayName { get; set; }

    public required string ChannelPlatform { get; set; }

    public required string ChannelId { get; set; }

    public string? ThreadId { get; set; }

    public int ApproversRequired { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public required string State { get; set; }

    public string? RejectedByPlatform { get; set; }

    public string? RejectedByUserId { get; set; }

    public string? RejectedByDisplayName { get; set; }

    public DateTimeOffset? RejectedAt { get; set; }

    public string? ExecutionOwner { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public DateTimeOffset? ExecutionStartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public string? ResultSummary { get; set; }

    public long Version { get; set; }
}
