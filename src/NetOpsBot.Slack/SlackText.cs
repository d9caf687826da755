using NetOpsBot.Cards;

namespace NetOpsBot.Slack;

/// <summary>
/// Slack mrkdwn for text this project writes outside the card renderer (thread lines, replies, full
/// outputs): control characters dropped, only <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> escaped (Slack asks for
/// exactly those), backticks broken inside code blocks so device output cannot close them.
/// </summary>
internal static class SlackText
{
    public static string Escape(string? text) => ChatText.Slack(text);

    public static string Code(string? text) => ChatText.SlackCode(text);

    /// <summary>At most <paramref name="max"/> characters, never splitting a surrogate pair.</summary>
    public static string Cut(string text, int max) => ChatText.Cut(text, max);
}
