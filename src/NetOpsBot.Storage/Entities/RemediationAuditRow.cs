namespace NetOpsBot.Storage.Entities;

/// <summary>Table <c>remediation_audit</c>: append-only (triggers reject UPDATE and DELETE); <see cref="Id"/> orders it.</summary>
internal sealed class RemediationAuditRow
{
    public long Id { get; set; }

    public required string RequestId { get; set; }

    public required string IncidentId { get; set; }

    public DateTimeOffset At { get; set; }

    public required string ActorPlatform { get; set; }

    public required string ActorId { get; set; }

    public required string ActorDisplayName { get; set; }

    public required string ChannelPlatform { get; set; }

    public required string ChannelId { get; set; }

    public string? ThreadId { get; set; }

    public required string Action { get; set; }

    public required string Outcome { get; set; }

    public required string Detail { get; set; }
}
