namespace NetOpsBot.Core.Approvals;

/// <summary>
/// Which executing requests a restart-recovery sweep marks Interrupted: those whose owner is one of
/// <see cref="DeadOwners"/>, and/or whose execution lease ended before <see cref="LeaseExpiredBefore"/>.
/// </summary>
public sealed record ExecutionSweep
{
    /// <summary>Owner instance ids whose work is known to be dead (typically this instance's previous run).</summary>
    public IReadOnlyCollection<string> DeadOwners { get; init; } = [];

    /// <summary>Interrupt executions whose lease ended before this time (the owner stopped heart-beating).</summary>
    public DateTimeOffset? LeaseExpiredBefore { get; init; }

    /// <summary>The instance doing the sweep; it is the actor of the audit entries.</summary>
    public string SweeperInstance { get; init; } = "netopsbot";
}
