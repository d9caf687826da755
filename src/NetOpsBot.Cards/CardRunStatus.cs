namespace NetOpsBot.Cards;

/// <summary>State of the diagnosis shown at the top of the card.</summary>
public enum CardRunStatus
{
    Running,
    Done,

    /// <summary>The Host stopped mid-run (DESIGN §4): the card must say so rather than stay "running".</summary>
    Interrupted,

    /// <summary>The incident closed (fixed, or no fault found); the card's headline tells the story.</summary>
    Resolved,
}
