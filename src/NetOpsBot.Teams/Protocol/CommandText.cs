using System.Net;
using System.Text.RegularExpressions;
using NetOpsBot.Core.Runbooks;

namespace NetOpsBot.Teams.Protocol;

/// <summary>
/// Turns a Teams message into the command text the router parses: the bot's mention removed (by its entity,
/// and any literal &lt;at&gt;…&lt;/at&gt; left over), HTML entities decoded, and the Teams spelling of a runbook's
/// command (<c>sshdiag …</c>) / <c>help</c> mapped onto the command (<c>/sshdiag …</c>).
/// </summary>
internal static partial class CommandText
{
    public static string From(Activity activity, RunbookRegistry runbooks)
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
        return Normalise(text, runbooks);
    }

    public static string Normalise(string text, RunbookRegistry runbooks)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(runbooks);
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed.StartsWith('/'))
        {
            return trimmed;
        }

        // The manifest's command list inserts "sshdiag …" and "help" without a slash.
        foreach (var word in runbooks.Definitions.Select(r => r.CommandWord))
        {
            if (trimmed.StartsWith(word, StringComparison.OrdinalIgnoreCase) && (trimmed.Length == word.Length || char.IsWhiteSpace(trimmed[word.Length])))
            {
                return "/" + trimmed;
            }
        }

        return string.Equals(trimmed, "help", StringComparison.OrdinalIgnoreCase) ? runbooks.Default.Command + " help" : trimmed;
    }

    [GeneratedRegex("<at[^>]*>.*?</at>", RegexOptions.IgnoreCase | RegexOptions.Singleline, matchTimeoutMilliseconds: 200)]
    private static partial Regex AtTag();
}
