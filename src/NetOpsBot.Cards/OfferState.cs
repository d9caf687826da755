namespace NetOpsBot.Cards;

/// <summary>Where a remediation offer stands, as the card shows it.</summary>
public enum OfferState
{
    Offered,
    PendingApproval,
    Approved,
    Executing,
    Done,
    Rejected,

    /// <summary>The bot withdrew the request: what it was approved on no longer holds.</summary>
    Cancelled,
}
