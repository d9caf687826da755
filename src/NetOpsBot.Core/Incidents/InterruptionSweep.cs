namespace NetOpsBot.Core.Incidents;

/// <summary>
/// Which in-progress incidents a sweep marks Interrupted. Each row is judged by
/// <see cref="IncidentLifecycle.Decide"/>: only a leased state whose lease ended before
/// <see cref="LeaseExpiredBefore"/> (minus nothing: the caller picks the cut-off) and whose owner is not known
/// alive, or whose owner is one of <see cref="DeadOwners"/>. The store then interrupts it only if the row is
/// still exactly as judged (same state, owner and lease), so a renewal racing the sweep wins.
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

    /// <summary>
    /// Owners this sweeper can vouch for, by incident: this host running that incident's activity right now.
    /// Such work is never interrupted, whatever its stored lease says (a clock step, a slow database write).
    /// </summary>
    public Func<IncidentId, string, bool>? OwnerAlive { get; init; }

    /// <summary>Actor and summary of the Interrupted event each interrupted incident gets.</summary>
    public string Actor { get; init; } = "netopsbot";

    public string Summary { get; init; } = "Interrupted: the host running this incident stopped before it finished";
}
