using NetOpsBot.Core.Diagnosis;

namespace NetOpsBot.Cards;

/// <summary>A step produced its result.</summary>
public sealed record StepFinished(StepResult Result, DateTimeOffset At) : DiagnosisCardEvent(At);
