namespace NetOpsBot.Core.Incidents;

/// <summary>
/// A compare-and-set on an incident's state: it applies only while the state is one of <see cref="From"/>,
/// so of two replicas (or two clicks) racing for the same move exactly one wins.
/// </summary>
public sealed record StateTransition(IReadOnlySet<IncidentState> From, IncidentState To)
{
    public StateTransition(IncidentState from, IncidentState to)
        : this(new HashSet<IncidentState> { from }, to)
    {
    }

    /// <summary>When set, the incident is claimed by this owner (typically moving to Running or Remediating).</summary>
    public IncidentLease? Lease { get; init; }

    /// <summary>When true, the owner and lease are cleared (the work is done). Ignored when <see cref="Lease"/> is set.</summary>
    public bool ReleaseLease { get; init; }

    /// <summary>When set, replaces the incident's root-cause codes (a verdict was reached).</summary>
    public IReadOnlyList<string>? RootCauseCodes { get; init; }
}
