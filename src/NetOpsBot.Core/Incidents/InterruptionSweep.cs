namespace NetOpsBot.Core.Incidents;

/// <summary>
/// Which in-progress incidents a restart-recovery sweep marks Interrupted: those owned by one of
/// <see cref="DeadOwners"/> (this instance's previous run, or instances known to be gone), and/or those
/// whose lease expired before <see cref="LeaseExpiredBefore"/> (owner stopped heart-beating). An incident
/// matching either criterion, and in one of <see cref="States"/>, is interrupted.
/// </summary>
public sealed record InterruptionSweep
{
    /// <summary>Owner instance ids whose work is known to be dead.</summary>
    public IReadOnlyCollection<string> DeadOwners { get; init; } = [];

    /// <summary>Interrupt incidents whose lease ended before this time (or that have no lease at all).</summary>
    public DateTimeOffset? LeaseExpiredBefore { get; init; }

    /// <summary>
    /// The states that mean "a host is working on it". Default: Running and Remediating, because an
    /// interrupted reboot or recovery watch must be reported, never silently forgotten.
    /// </summary>
    public IReadOnlySet<IncidentState> States { get; init; } =
        new HashSet<IncidentState> { IncidentState.Running, IncidentState.Remediating };

    /// <summary>Actor and summary of the Interrupted event each interrupted incident gets.</summary>
    public string Actor { get; init; } = "netopsbot";

    public string Summary { get; init; } = "Interrupted: the host running this incident stopped before it finished";
}
