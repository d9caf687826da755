namespace NetOpsBot.Cards;

/// <summary>The run was cut off (Host restart, cancellation).</summary>
public sealed record DiagnosisInterrupted(string Reason, DateTimeOffset At) : DiagnosisCardEvent(At);
