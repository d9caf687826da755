using System.Net;
using System.Text.RegularExpressions;

namespace NetOpsBot.Teams.Protocol;

/// <summary>
/// Turns a Teams message into the command text the router parses: the bot's mention removed (by its entity,
/// and any literal &lt;at&gt;…&lt;/at&gt; left over), HTML entities decoded, and the Teams spelling
/// <c>sshdiag …</c> / <c>help</c> mapped onto <c>/sshdiag …</c>.
/// </summary>
internal static partial class CommandText
{
    public static string From(Activity activity)
    {
        var text = activity.Text ?? string.Empty;
        foreach (var entity in activity.Entities ?? [])
        {
            if (entity["type"]?.GetValue<string>() == "mention"
                && entity["mentioned"]?["id"]?.GetValue<string>() is { } mentioned
                && string.Equals(mentioned, activity.Recipient?.Id, StringComparison.Ordinal)
                && entity["text"]?.GetValue<string>() is { Length: > 0 } mentionText)
            {
                text = text.Replace(mentionText, " ", StringComparison.Ordinal);
            }
        }

        // Typed "<at>Bot</at>" arrives without an entity (observed in the Playground); Teams also sends &nbsp;.
        text = AtTag().Replace(text, " ");
        text = WebUtility.HtmlDecode(text).Replace('\u00a0', ' ').Trim();
        return Normalise(text);
    }

    public static string Normalise(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed.StartsWith('/'))
        {
            return trimmed;
        }

        // The manifest's command list inserts "sshdiag …" and "help" without a slash.
        if (trimmed.StartsWith("sshdiag", StringComparison.OrdinalIgnoreCase) && (trimmed.Length == 7 || char.IsWhiteSpace(trimmed[7])))
        {
            return "/" + trimmed;
        }

        return string.Equals(trimmed, "help", StringComparison.OrdinalIgnoreCase) ? "/sshdiag help" : trimmed;
    }

    [GeneratedRegex("<at[^>]*>.*?</at>", RegexOptions.IgnoreCase | RegexOptions.Singleline, matchTimeoutMilliseconds: 200)]
    private static partial Regex AtTag();
}
