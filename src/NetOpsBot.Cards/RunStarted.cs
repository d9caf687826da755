namespace NetOpsBot.Cards;

/// <summary>The runbook runs again (<paramref name="Title"/>: "After default route (REQ-1)"); the finished run is kept as an earlier run.</summary>
public sealed record RunStarted(string Title, DateTimeOffset At) : DiagnosisCardEvent(At);
