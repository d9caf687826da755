namespace NetOpsBot.Core.Incidents;

/// <summary>Where a request came from and where its card and thread live.</summary>
public sealed record ChatChannel
{
    public ChatChannel(string platform, string channelId, string? threadId)
    {
        Platform = Guard.Token(platform, nameof(platform), 32);
        ChannelId = Guard.Token(channelId, nameof(channelId), 256);
        ThreadId = threadId is null ? null : Guard.Token(threadId, nameof(threadId), 256);
    }

    public string Platform { get; }

    public string ChannelId { get; }

    /// <summary>The thread the request was made in, if any (the card's own thread is in <see cref="CardMessageRef"/>).</summary>
    public string? ThreadId { get; }
}
