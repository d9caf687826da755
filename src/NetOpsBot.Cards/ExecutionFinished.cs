namespace NetOpsBot.Cards;

/// <summary>The executor finished the plan.</summary>
public sealed record ExecutionFinished(string PlanId, bool Succeeded, string Summary, DateTimeOffset At) : DiagnosisCardEvent(At);
