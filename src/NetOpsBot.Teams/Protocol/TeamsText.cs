using System.Text;

namespace NetOpsBot.Teams.Protocol;

/// <summary>Escaping for text the bot writes into Teams (device output and user names are untrusted).</summary>
internal static class TeamsText
{
    /// <summary>Message text (markdown plus an HTML subset): markup characters encoded, markdown escaped, one line.</summary>
    public static string Message(string? text)
    {
        var sb = new StringBuilder();
        foreach (var c in Clean(text).Replace('\n', ' '))
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '\\' or '*' or '_' or '`' or '[' or ']' or '~' or '#' or '|':
                    sb.Append('\\').Append(c);
                    break;
                default: sb.Append(c); break;
            }
        }

        return sb.ToString();
    }

    /// <summary>Adaptive Card TextBlock text: a zero-width space after markdown characters defuses links and formatting.</summary>
    public static string Card(string? text)
    {
        var sb = new StringBuilder();
        foreach (var c in Clean(text))
        {
            sb.Append(c);
            if (c is '[' or ']' or '*' or '_' or '~' or '`' or '<')
            {
                sb.Append('\u200B');
            }
        }

        return sb.ToString();
    }

    public static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Clean(string? text) =>
        new([.. (text ?? string.Empty).Where(c => c is '\n' or '\t' || !char.IsControl(c))]);
}
