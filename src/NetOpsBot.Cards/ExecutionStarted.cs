namespace NetOpsBot.Cards;

/// <summary>The executor started the plan.</summary>
public sealed record ExecutionStarted(string PlanId, DateTimeOffset At) : DiagnosisCardEvent(At);
