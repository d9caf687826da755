namespace NetOpsBot.Core.Incidents;

/// <summary>
/// A person on a chat platform. <see cref="Platform"/> plus <see cref="UserId"/> identify them (the same
/// person on Slack and Teams are two users); <see cref="DisplayName"/> is only for showing.
/// </summary>
public sealed record ChatUser
{
    public ChatUser(string platform, string userId, string displayName)
    {
        Platform = Guard.Token(platform, nameof(platform), 32);
        UserId = Guard.Token(userId, nameof(userId), 128);
        DisplayName = Guard.OneLine(displayName, nameof(displayName), 200);
    }

    /// <summary>Platform key, e.g. <c>slack</c>, <c>teams</c>, <c>webchat</c>.</summary>
    public string Platform { get; }

    public string UserId { get; }

    public string DisplayName { get; }

    public override string ToString() => $"{DisplayName} ({Platform}:{UserId})";
}
