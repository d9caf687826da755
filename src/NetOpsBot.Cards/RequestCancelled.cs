namespace NetOpsBot.Cards;

/// <summary>The bot withdrew a request (the device was fixed elsewhere or another remediation ran on it).</summary>
public sealed record RequestCancelled(string PlanId, string RequestId, string Reason, DateTimeOffset At) : DiagnosisCardEvent(At);
