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
}
