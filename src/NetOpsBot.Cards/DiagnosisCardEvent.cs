namespace NetOpsBot.Cards;

/// <summary>Something that changes the card; the same events make the thread's timeline lines.</summary>
public abstract record DiagnosisCardEvent(DateTimeOffset At);
