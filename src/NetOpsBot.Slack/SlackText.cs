using System.Text;

namespace NetOpsBot.Slack;

/// <summary>
/// Slack mrkdwn for text this project writes outside the card renderer (thread lines, replies, full
/// outputs): control characters dropped, only <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> escaped (Slack asks for
/// exactly those), backticks broken inside code blocks so device output cannot close them.
/// </summary>
internal static class SlackText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '\t': sb.Append("    "); break;
                case '\n': sb.Append('\n'); break;
                case '\u2028' or '\u2029' or '\u202E' or '\u202D': break;
                default:
                    if (!char.IsControl(c))
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    public static string Code(string? text) => Escape(text).Replace("`", "`\u200B", StringComparison.Ordinal);

    /// <summary>At most <paramref name="max"/> characters, never splitting a surrogate pair.</summary>
    public static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var end = max - 1;
        if (end > 0 && char.IsHighSurrogate(text[end - 1]))
        {
            end--;
        }

        return text[..end] + "…";
    }
}
