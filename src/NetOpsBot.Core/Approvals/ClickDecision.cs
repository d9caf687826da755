using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Approvals;

/// <summary>
/// The result of <see cref="ApprovalStateMachine.Decide"/>: what the click did, a message for the channel,
/// and the request as it must be stored afterwards (the same instance when nothing changed).
/// </summary>
public sealed record ClickDecision(ClickOutcome Outcome, string Message, RemediationRequest Request, ClickVerb Verb, ChatUser Clicker)
{
    /// <summary>True when <see cref="Request"/> differs from the request the decision was made on and must be saved.</summary>
    public bool Changed { get; init; }

    /// <summary>True for the outcomes that count as a refusal (shown to the clicker, audited as such).</summary>
    public bool Refused => Outcome is ClickOutcome.RefusedSelfApproval or ClickOutcome.RefusedNotApprover
        or ClickOutcome.RefusedExpired or ClickOutcome.RefusedClosed or ClickOutcome.RefusedMismatch
        or ClickOutcome.RefusedOtherConversation or ClickOutcome.RefusedNotRequester;

    /// <summary>
    /// True when the click changed nothing anyone else needs to hear about: a second approval by the same person, a
    /// click on a request that is already closed, or Withdraw from someone who is not the requester. Only the clicker is told (a double-click storm must not write one
    /// thread line per click); the audit still records the click.
    /// </summary>
    public bool ClickerOnly => Outcome is ClickOutcome.Duplicate or ClickOutcome.RefusedClosed or ClickOutcome.RefusedNotRequester;
}
