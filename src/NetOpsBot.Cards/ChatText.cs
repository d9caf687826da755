namespace NetOpsBot.Cards;

/// <summary>
/// The escaping the cards use, for text a chat adapter writes outside a card (thread lines, replies, full
/// outputs): one set of rules per platform, so a card and its thread cannot disagree about what is safe.
/// Device output and user names are untrusted.
/// </summary>
public static class ChatText
{
    /// <summary>Control, terminal and bidi-override characters dropped; tabs as spaces; newlines kept.</summary>
    public static string Clean(string? text) => CardText.Clean(text);

    /// <summary>At most <paramref name="max"/> characters with an ellipsis, never splitting a surrogate pair.</summary>
    public static string Cut(string text, int max) => CardText.Cut(text, max);

    /// <summary>Slack mrkdwn: <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> escaped (stops <c>&lt;!channel&gt;</c> and links).</summary>
    public static string Slack(string? text) => CardText.Slack(text);

    /// <summary>Slack text inside a ``` block: escaped, backticks broken so device output cannot close it.</summary>
    public static string SlackCode(string? text) => CardText.SlackCode(text);

    /// <summary>Adaptive Card TextBlock text: markdown defused with zero-width spaces, visibly unchanged.</summary>
    public static string Adaptive(string? text) => CardText.Adaptive(text);

    /// <summary>Teams message text (markdown plus an HTML subset): markup encoded, markdown escaped, one line.</summary>
    public static string TeamsMessage(string? text) => CardText.TeamsMessage(text);
}
