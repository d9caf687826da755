namespace NetOpsBot.Core.Incidents;

/// <summary>Work a host does on an incident while holding its lease.</summary>
public enum IncidentActivity
{
    /// <summary>The first runbook run (state Running), owned by the host that took the request.</summary>
    Diagnosis,

    /// <summary>Sending an approved fix (state Remediating), owned by the host that claimed the execution.</summary>
    Execution,

    /// <summary>Watching a rebooted device come back (state Remediating), owned by the executing host or the one that resumed it.</summary>
    RecoveryWatch,

    /// <summary>The runbook again after a fix (state Remediating), owned by the host that ran the fix.</summary>
    Rediagnosis,
}

/// <summary>What a sweep does with one incident, and why.</summary>
public enum SweepVerdict
{
    /// <summary>Nobody works on it in this state: there is nothing to interrupt.</summary>
    NotLeased,

    /// <summary>Its owner is known to be alive (this very host runs the activity).</summary>
    OwnerAlive,

    /// <summary>The lease has not expired: the owner renewed it recently.</summary>
    LeaseValid,

    /// <summary>The lease expired and the owner is gone (or is known dead): the work is interrupted.</summary>
    Interrupt,
}

/// <summary>What a sweep knows about one incident row.</summary>
public sealed record LeaseSnapshot(IncidentState State, string? OwnerInstance, DateTimeOffset? LeaseUntil);

/// <summary>
/// The incident lifecycle as pure rules, like <see cref="Approvals.ApprovalStateMachine"/>: the states, the moves
/// allowed between them, which states mean a host holds a lease, and when a sweep may call work interrupted.
/// The owner of an activity renews its lease for the whole activity (a reboot watch included); a sweep
/// interrupts only when the lease expired AND the owner is gone, so a live host is never reported as stopped.
/// </summary>
public static class IncidentLifecycle
{
    private static readonly Dictionary<IncidentState, IncidentState[]> Moves = new()
    {
        [IncidentState.Open] = [IncidentState.Running, IncidentState.Diagnosed, IncidentState.Failed, IncidentState.Interrupted],
        // Running -> Resolved: a healthy first diagnosis closes as "no fault found" (nothing to fix, nothing to wait for).
        [IncidentState.Running] = [IncidentState.Diagnosed, IncidentState.Resolved, IncidentState.Failed, IncidentState.Interrupted],
        [IncidentState.Diagnosed] = [IncidentState.AwaitingApproval, IncidentState.Remediating, IncidentState.Resolved, IncidentState.Diagnosed],
        [IncidentState.AwaitingApproval] = [IncidentState.AwaitingApproval, IncidentState.Diagnosed, IncidentState.Remediating, IncidentState.Resolved],
        // Remediating -> Remediating: a replica resuming a dead owner's recovery watch takes the work (and the lease) over.
        [IncidentState.Remediating] = [IncidentState.Remediating, IncidentState.Diagnosed, IncidentState.Resolved, IncidentState.Failed, IncidentState.Interrupted],

        // A recovery watch resumed by the next start takes an interrupted incident back; its re-diagnosis may close it.
        [IncidentState.Interrupted] = [IncidentState.Remediating, IncidentState.Diagnosed, IncidentState.Resolved],
        [IncidentState.Failed] = [],
        [IncidentState.Resolved] = [],
    };

    /// <summary>Every state, for exhaustive tests.</summary>
    public static IReadOnlyList<IncidentState> States { get; } = Enum.GetValues<IncidentState>();

    /// <summary>True when a host must hold (and renew) the incident's lease while it is in <paramref name="state"/>.</summary>
    public static bool IsLeased(IncidentState state) => state is IncidentState.Running or IncidentState.Remediating;

    /// <summary>The state an activity runs in.</summary>
    public static IncidentState StateOf(IncidentActivity activity) =>
        activity == IncidentActivity.Diagnosis ? IncidentState.Running : IncidentState.Remediating;

    /// <summary>Whether the lifecycle allows moving from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanMove(IncidentState from, IncidentState to) => Moves.TryGetValue(from, out var next) && next.Contains(to);

    /// <summary>
    /// Checks a transition before it is stored: every From state may move to To, and a move into a leased state
    /// names its owner and lease (a leased state without an owner is exactly what a sweep would take for dead work).
    /// </summary>
    public static IReadOnlyList<string> Validate(StateTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        var problems = new List<string>();
        foreach (var from in transition.From)
        {
            if (!CanMove(from, transition.To))
            {
                problems.Add($"{from} -> {transition.To} is not an allowed move");
            }
        }

        if (IsLeased(transition.To) && transition.Lease is null)
        {
            problems.Add($"{transition.To} needs a lease: a host works on the incident in that state");
        }

        return problems;
    }

    /// <summary>Throws when <see cref="Validate"/> finds a problem (a programming error, never user input).</summary>
    public static void EnsureValid(StateTransition transition)
    {
        var problems = Validate(transition);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid incident transition: " + string.Join("; ", problems));
        }
    }

    /// <summary>
    /// The sweep rule. <paramref name="deadOwners"/> are instances known to be gone (at start-up with SQLite, every
    /// earlier one); <paramref name="ownerAlive"/> answers for owners the sweeper can vouch for (itself, running
    /// the activity). A lease expires <paramref name="grace"/> after its end, so one slow renewal is not a death.
    /// </summary>
    public static SweepVerdict Decide(LeaseSnapshot row, DateTimeOffset now, TimeSpan grace, IReadOnlyCollection<string> deadOwners, Func<string, bool>? ownerAlive = null)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(deadOwners);
        if (!IsLeased(row.State))
        {
            return SweepVerdict.NotLeased;
        }

        if (row.OwnerInstance is { } owner)
        {
            if (deadOwners.Contains(owner))
            {
                return SweepVerdict.Interrupt;
            }

            if (ownerAlive?.Invoke(owner) == true)
            {
                return SweepVerdict.OwnerAlive;
            }
        }

        // No lease at all in a leased state: nobody can renew it (a row written before leases covered every
        // activity, or by a host that crashed between two writes), so nobody will ever finish it.
        if (row.LeaseUntil is { } until && until + grace > now)
        {
            return SweepVerdict.LeaseValid;
        }

        return SweepVerdict.Interrupt;
    }

    /// <summary>How often an owner renews a lease of <paramref name="duration"/>: three chances before it expires.</summary>
    public static TimeSpan RenewalInterval(TimeSpan duration) => duration / 3;
}
