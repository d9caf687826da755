namespace NetOpsBot.Core.Approvals;

/// <summary>
/// Withdraw: the requester takes back their own pending request (pure, run by the store under the request's lock like
/// <see cref="ApprovalStateMachine.Decide(RemediationRequest, ClickVerb, ClickContext, DateTimeOffset)"/>). Only the
/// requester (on any of their accounts) may; an approver who disagrees rejects instead, so the two stay apart on
/// the timeline and in the audit. A request that is approved or running is no longer the requester's to take back.
/// </summary>
public static class WithdrawalRule
{
    public static ClickDecision Decide(RemediationRequest request, ClickContext click, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(click);
        var clicker = click.Clicker;
        var what = ApprovalStateMachine.Describe(request);
        if (!ApprovalStateMachine.SameConversation(request.Channel, click.Channel))
        {
            return Unchanged(ClickOutcome.RefusedOtherConversation, $"{clicker.DisplayName}: {what} was requested in its incident's {request.Channel.Platform} conversation, and only clicks there count; this click from {click.Channel.Platform} changes nothing.");
        }

        var requester = ApprovalStateMachine.SamePerson(clicker, request.Requester) || ApprovalStateMachine.SamePersonId(click.ClickerPersonId, click.RequesterPersonId);
        if (!requester)
        {
            return Unchanged(ClickOutcome.RefusedNotRequester, $"{clicker.DisplayName}: only {request.Requester.DisplayName}, who requested {what}, can withdraw it; an approver who does not want it rejects it instead. Nothing changed.");
        }

        if (request.State == RemediationRequestState.Pending && now >= request.ExpiresAt)
        {
            var expired = request with { State = RemediationRequestState.Expired, FinishedAt = now };
            return new ClickDecision(ClickOutcome.RefusedExpired, $"{what} expired at {ApprovalStateMachine.Clock(request.ExpiresAt)} UTC without enough approvals; there is nothing left to withdraw.", expired, ClickVerb.Withdraw, clicker) { Changed = true };
        }

        if (request.State != RemediationRequestState.Pending)
        {
            return Unchanged(ClickOutcome.RefusedClosed, $"{what} is already {ApprovalStateMachine.Closed(request)}; it can no longer be withdrawn and this click changes nothing.");
        }

        var withdrawn = request with
        {
            State = RemediationRequestState.Cancelled,
            FinishedAt = now,
            ResultSummary = $"withdrawn by {clicker.DisplayName}",
        };
        return new ClickDecision(ClickOutcome.Withdrawn, $"{clicker.DisplayName} withdrew {what}. Nothing will run, and approvals on it no longer count.", withdrawn, ClickVerb.Withdraw, clicker) { Changed = true };

        ClickDecision Unchanged(ClickOutcome outcome, string message) => new(outcome, message, request, ClickVerb.Withdraw, clicker);
    }
}
