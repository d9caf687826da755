namespace NetOpsBot.Storage.Entities;

/// <summary>Table <c>incidents</c>. Enums are stored as their names so the data reads well in psql/sqlite3.</summary>
internal sealed class IncidentRow
{
    public required string Id { get; set; }

    /// <summary>The chat request's idempotency key; unique, so a redelivered request finds the first incident.</summary>
    public required string IdempotencyKey { get; set; }

    public required string DeviceName { get; set; }

    public required string RequesterPlatform { get; set; }

    public required string RequesterUserId { get; set; }

    public required string RequesterDisplayName { get; set; }

    public required string ChannelPlatform { get; set; }

    public required string ChannelId { get; set; }

    public string? ThreadId { get; set; }

    public required string State { get; set; }

    /// <summary>The runbook the incident runs (<c>RunbookDefinition.Id</c>); rows older than the column hold <c>ssh-unreachable</c>.</summary>
    public required string RunbookId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Root-cause codes separated by ','; codes are kebab-case and never contain one.</summary>
    public required string RootCauses { get; set; }

    public string? OwnerInstance { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>Per-incident counter: the sequence of the last timeline event, bumped in the appender's transaction.</summary>
    public long LastSequence { get; set; }
}
