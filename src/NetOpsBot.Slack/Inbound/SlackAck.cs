namespace NetOpsBot.Slack.Inbound;

/// <summary>How a slash command is acknowledged (the HTTP 200 body, or the Socket Mode ack payload).</summary>
public enum SlackAck
{
    /// <summary>Empty: the answer follows through <c>response_url</c>.</summary>
    Empty,

    /// <summary><c>{"response_type":"in_channel"}</c>: the channel sees who asked for the diagnosis; the card follows.</summary>
    InChannel,

    /// <summary>A delivery already recorded (Slack's retry, a second replica): acknowledged, nothing runs again.</summary>
    Duplicate,
}
