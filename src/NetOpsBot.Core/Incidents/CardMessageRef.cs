namespace NetOpsBot.Core.Incidents;

/// <summary>
/// The message that shows an incident's card on one platform, so any replica can update it in place and
/// post the timeline into its thread.
/// </summary>
public sealed record CardMessageRef
{
    public CardMessageRef(string platform, string channelId, string messageId)
    {
        Platform = Guard.Token(platform, nameof(platform), 32);
        ChannelId = Guard.Token(channelId, nameof(channelId), 256);
        MessageId = Guard.Token(messageId, nameof(messageId), 256);
    }

    public string Platform { get; }

    public string ChannelId { get; }

    public string MessageId { get; }
}
