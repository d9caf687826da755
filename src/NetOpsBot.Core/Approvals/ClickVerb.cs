namespace NetOpsBot.Core.Approvals;

/// <summary>The button a person pressed on a request card.</summary>
public enum ClickVerb
{
    Approve,
    Reject,

    /// <summary>The requester takes their own pending request back (judged by <see cref="WithdrawalRule"/>).</summary>
    Withdraw,
}
