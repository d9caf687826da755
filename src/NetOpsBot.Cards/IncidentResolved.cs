namespace NetOpsBot.Cards;

/// <summary>The incident closed; <paramref name="Headline"/> is the story in one line, shown on top of the card.</summary>
public sealed record IncidentResolved(string Headline, DateTimeOffset At) : DiagnosisCardEvent(At);
