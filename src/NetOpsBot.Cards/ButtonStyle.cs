namespace NetOpsBot.Cards;

/// <summary>Maps to Adaptive Cards positive/destructive and Slack primary/danger.</summary>
public enum ButtonStyle
{
    Default,
    Primary,
    Danger,
}
