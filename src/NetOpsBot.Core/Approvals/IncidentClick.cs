using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Approvals;

/// <summary>What a person can do to a fix from a card, whatever the chat platform.</summary>
public enum IncidentVerb
{
    /// <summary>Ask for an offered fix to run (it then waits for approval when its policy needs one).</summary>
    Request,
    Approve,
    Reject,

    /// <summary>The requester takes their own pending request back.</summary>
    Withdraw,
}

/// <summary>
/// One click as a surface parsed it from its protocol, after it authenticated <paramref name="Clicker"/>: the
/// channel-neutral input of <see cref="IncidentActions.HandleAsync"/>. <paramref name="Target"/> is what the button
/// says it acts on (checked against the stored request, never trusted).
/// </summary>
public sealed record IncidentClick(IncidentVerb Verb, IncidentId IncidentId, string PlanId, ClickTarget Target, ChatUser Clicker, ChatChannel Channel);
