namespace NetOpsBot.Cards;

/// <summary>A plan was rejected or expired.</summary>
public sealed record ApprovalRejected(string PlanId, string RejectedBy, string? Reason, DateTimeOffset At) : DiagnosisCardEvent(At);
