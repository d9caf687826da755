namespace NetOpsBot.Cards;

/// <summary>A step began running.</summary>
public sealed record StepStarted(string StepId, DateTimeOffset At) : DiagnosisCardEvent(At);
