using NetOpsBot.Core.Devices;

namespace NetOpsBot.Core.Incidents;

/// <summary>
/// One <c>/sshdiag</c> request and everything that followed it. The record is a snapshot read from the
/// store; changes go through <see cref="IIncidentStore"/> so several replicas can share it safely.
/// </summary>
public sealed record Incident(
    IncidentId Id,
    DeviceName Device,
    ChatUser Requester,
    ChatChannel Channel,
    IncidentState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// The runbook this incident runs (a <c>RunbookDefinition.Id</c>, "ssh-unreachable"): a re-run picks it again from
    /// the registry. Null only on an incident opened without a runbook registry (the store then records its default).
    /// </summary>
    public string? RunbookId { get; init; }

    /// <summary>Root causes of the latest verdict (<c>RootCause.Code</c> values), empty until diagnosed.</summary>
    public IReadOnlyList<string> RootCauseCodes { get; init; } = [];

    /// <summary>The card message per platform, once posted.</summary>
    public IReadOnlyList<CardMessageRef> CardMessages { get; init; } = [];

    /// <summary>The host instance that runs this incident's work, while it holds the lease.</summary>
    public string? OwnerInstance { get; init; }

    /// <summary>Until when <see cref="OwnerInstance"/>'s claim is valid unless renewed (heartbeat).</summary>
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>Sequence number of the last timeline event (the Requested event is 1).</summary>
    public long LastSequence { get; init; }

    /// <summary>A new incident in <see cref="IncidentState.Open"/> with a fresh id.</summary>
    public static Incident Open(DeviceName device, ChatUser requester, ChatChannel channel, DateTimeOffset now) =>
        new(IncidentId.New(), device, requester, channel, IncidentState.Open, now, now);
}
