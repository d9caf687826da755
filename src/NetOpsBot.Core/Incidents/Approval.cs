namespace NetOpsBot.Core.Incidents;

/// <summary>
/// One approver's durable decision on one remediation plan of an incident. The store keeps at most one per
/// (incident, plan, approver), so a second click by the same person counts once whichever replica gets it.
/// <see cref="Nonce"/> ties the decision to the card action that produced it (replay detection).
/// </summary>
public sealed record Approval
{
    public Approval(IncidentId incidentId, string planId, ChatUser approver, ApprovalDecision decision, DateTimeOffset at, string nonce)
    {
        ArgumentNullException.ThrowIfNull(incidentId);
        ArgumentNullException.ThrowIfNull(approver);
        if (!Enum.IsDefined(decision))
        {
            throw new ArgumentOutOfRangeException(nameof(decision), decision, "unknown decision");
        }

        IncidentId = incidentId;
        PlanId = Guard.Token(planId, nameof(planId), 128);
        Approver = approver;
        Decision = decision;
        At = at;
        Nonce = Guard.Token(nonce, nameof(nonce), 128);
    }

    public IncidentId IncidentId { get; }

    public string PlanId { get; }

    public ChatUser Approver { get; }

    public ApprovalDecision Decision { get; }

    public DateTimeOffset At { get; }

    public string Nonce { get; }
}
