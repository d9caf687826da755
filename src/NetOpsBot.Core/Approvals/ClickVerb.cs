namespace NetOpsBot.Core.Approvals;

/// <summary>The button an approver pressed on a request card.</summary>
public enum ClickVerb
{
    Approve,
    Reject,
}
