namespace NetOpsBot.Slack;

/// <summary>How Slack reaches the bot.</summary>
public enum SlackMode
{
    /// <summary>Slack POSTs to <c>/slack/commands</c> and <c>/slack/interactivity</c> (public Request URLs).</summary>
    Http,

    /// <summary>The bot dials out to Slack over a WebSocket (no public ingress: the usual jump-host network).</summary>
    SocketMode,
}
