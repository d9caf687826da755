using NetOpsBot.Cards;

namespace NetOpsBot.Teams.Protocol;

/// <summary>Escaping for text the bot writes into Teams (device output and user names are untrusted).</summary>
internal static class TeamsText
{
    /// <summary>Message text (markdown plus an HTML subset): the cards' own Teams rules.</summary>
    public static string Message(string? text) => ChatText.TeamsMessage(text);

    /// <summary>Adaptive Card TextBlock text: the cards' own rules (markdown defused, visibly unchanged).</summary>
    public static string Card(string? text) => ChatText.Adaptive(text);

    public static string Cut(string text, int max) => ChatText.Cut(text, max);
}
