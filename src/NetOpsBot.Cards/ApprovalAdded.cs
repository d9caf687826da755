namespace NetOpsBot.Cards;

/// <summary>An approval the approval service accepted (the card does not judge validity).</summary>
public sealed record ApprovalAdded(string PlanId, string Approver, DateTimeOffset At) : DiagnosisCardEvent(At);
