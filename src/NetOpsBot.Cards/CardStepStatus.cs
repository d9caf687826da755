namespace NetOpsBot.Cards;

/// <summary>Core's <c>StepStatus</c> plus the two states a live card needs before a result exists.</summary>
public enum CardStepStatus
{
    Pending,
    Running,
    Ok,
    Warn,
    Fail,
    Skipped,
    Error,
}
