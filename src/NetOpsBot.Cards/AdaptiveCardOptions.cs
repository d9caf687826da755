namespace NetOpsBot.Cards;

/// <summary>Size budget of an Adaptive Card.</summary>
public sealed record AdaptiveCardOptions
{
    /// <summary>
    /// Teams limits a bot message to about 100 KB (PROTOCOLS.md; 28 KB is the incoming-webhook limit). The
    /// activity envelope and a Teams-side re-encoding need room, so the card itself gets 80,000 UTF-8 bytes.
    /// </summary>
    /// <value>80,000 bytes.</value>
    public int MaxBytes { get; init; } = 80_000;

    /// <summary>Evidence characters per text block before the budget has to shrink them further.</summary>
    /// <value>3,000 characters.</value>
    public int MaxEvidenceChars { get; init; } = 3_000;

    public static AdaptiveCardOptions Default { get; } = new();
}
