namespace NetOpsBot.Cards;

/// <summary>Size budget of an Adaptive Card.</summary>
public sealed record AdaptiveCardOptions
{
    /// <summary>
    /// Teams measures a bot message in UTF-16: "The bot message size limit is 100 KB ... it includes the message
    /// itself (text, image links, etc.), @-mentions, and reactions encoded as UTF-16 ... it's recommended to ensure
    /// that the size of the message itself is within 80 KB" (Microsoft Learn, Teams platform, "Format your bot
    /// messages"). So the card is counted in UTF-16 code units (two bytes each; an emoji is two units, a CJK
    /// character one), never in UTF-8 bytes: 40,000 units = 80,000 bytes of UTF-16, inside the recommended 80 KB
    /// with the rest left to the activity envelope.
    /// </summary>
    /// <value>40,000 UTF-16 code units.</value>
    public int MaxUtf16CodeUnits { get; init; } = 40_000;

    /// <summary>Evidence characters per text block before the budget has to shrink them further.</summary>
    /// <value>3,000 characters.</value>
    public int MaxEvidenceChars { get; init; } = 3_000;

    public static AdaptiveCardOptions Default { get; } = new();
}
