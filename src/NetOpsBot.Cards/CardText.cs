using System.Globalization;
using System.Text;

namespace NetOpsBot.Cards;

/// <summary>Formatting and escaping shared by the renderers. Everything from a device goes through <see cref="Clean"/>.</summary>
internal static class CardText
{
    public const string Ellipsis = "…";

    private static readonly System.Buffers.SearchValues<char> MarkdownChars = System.Buffers.SearchValues.Create("[]*_~`<>");

    public static string Icon(CardStepStatus s) => s switch
    {
        CardStepStatus.Pending => "⏳",
        CardStepStatus.Running => "🔄",
        CardStepStatus.Ok => "✅",
        CardStepStatus.Warn => "⚠️",
        CardStepStatus.Fail => "❌",
        CardStepStatus.Skipped => "⏭️",
        _ => "❗",
    };

    public static string Label(CardStepStatus s) => s switch
    {
        CardStepStatus.Pending => "pending",
        CardStepStatus.Running => "running",
        CardStepStatus.Ok => "ok",
        CardStepStatus.Warn => "warn",
        CardStepStatus.Fail => "fail",
        CardStepStatus.Skipped => "skipped",
        _ => "error",
    };

    // Words only: a client without an emoji font shows empty boxes, and "Done" must never read as "fixed".
    public static string Label(CardRunStatus s) => s switch
    {
        CardRunStatus.Running => "Running",
        CardRunStatus.Done => "Diagnosed",
        CardRunStatus.Resolved => "Resolved",
        _ => "Interrupted",
    };

    public static string Label(OfferState s) => s switch
    {
        OfferState.Offered => "offered",
        OfferState.PendingApproval => "waiting for approval",
        OfferState.Approved => "approved",
        OfferState.Executing => "executing",
        OfferState.Done => "done",
        OfferState.Cancelled => "cancelled",
        _ => "rejected",
    };

    public static string Duration(TimeSpan d) => d.TotalSeconds < 60
        ? d.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalMinutes} min {d.Seconds:00} s");

    /// <summary>The one time format of the cards: UTC, with the date where the day matters.</summary>
    public static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary><see cref="Time"/> without the date (approvals within the incident's day).</summary>
    public static string Clock(DateTimeOffset t) => t.ToUniversalTime().ToString("HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Adaptive Cards' TIME function: the client renders it in the viewer's local time (Teams, the web chat's
    /// renderer), so the card shows UTC for everyone plus the reader's own clock.
    /// </summary>
    public static string AdaptiveLocalTime(DateTimeOffset t) => "{{TIME(" + t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + ")}}";

    /// <summary>Slack's date token: every reader sees their own local time; the fallback is the UTC time.</summary>
    public static string SlackLocalTime(DateTimeOffset t) =>
        string.Create(CultureInfo.InvariantCulture, $"<!date^{t.ToUnixTimeSeconds()}^{{time_secs}}|{Clock(t)}>");

    /// <summary>
    /// Drops control characters (ANSI escapes, NUL, bells, CR) from device output; keeps tabs as spaces.
    /// A terminal sequence in a chat client is noise at best and a spoofing aid at worst.
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == '\t')
            {
                sb.Append("    ");
            }
            else if (c == '\n' || (!char.IsControl(c) && c is not '\u2028' and not '\u2029' and not '\u202E' and not '\u202D'))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>Shortens to at most <paramref name="max"/> characters, never splitting a surrogate pair.</summary>
    public static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        if (max <= 1)
        {
            return max == 1 ? Ellipsis : string.Empty;
        }

        var end = max - 1;
        if (char.IsHighSurrogate(text[end - 1]))
        {
            end--;
        }

        return text[..end] + Ellipsis;
    }

    /// <summary>
    /// Joins lines up to <paramref name="budget"/> characters. Returns the kept text and how many characters
    /// were left out (0 when everything fits), so the caller can add its own "truncated" pointer.
    /// </summary>
    public static (string Text, int Omitted) Lines(IEnumerable<string> lines, int budget)
    {
        var all = string.Join('\n', lines.Select(Clean));
        if (all.Length <= budget)
        {
            return (all, 0);
        }

        var keep = Math.Max(0, budget);
        var cut = all.LastIndexOf('\n', Math.Max(0, keep - 1));
        var end = cut > keep / 2 ? cut : keep;
        if (end > 0 && char.IsHighSurrogate(all[end - 1]))
        {
            end--;
        }

        return (all[..end].TrimEnd('\n'), all.Length - end);
    }

    /// <summary>Slack mrkdwn: the only three characters Slack asks to escape, which also stops <c>&lt;!channel&gt;</c> and <c>&lt;url|text&gt;</c>.</summary>
    public static string Slack(string? text) => Clean(text)
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>Slack text inside a ``` block: escaped, and backticks broken up so device output cannot close the block.</summary>
    public static string SlackCode(string? text) => Slack(text).Replace("`", "`\u200B", StringComparison.Ordinal);

    /// <summary>
    /// Adaptive Card TextBlocks interpret a markdown subset (Teams does): device output must not become a
    /// link with a hidden target or formatting. A zero-width space after '[', '*', '_', '~' and '`' and before
    /// '(' after ']' defuses the syntax and leaves the text visibly unchanged.
    /// </summary>
    public static string Adaptive(string? text)
    {
        var clean = Clean(text);
        if (clean.AsSpan().IndexOfAny(MarkdownChars) < 0)
        {
            return clean;
        }

        var sb = new StringBuilder(clean.Length + 16);
        foreach (var c in clean)
        {
            sb.Append(c);
            if (c is '[' or ']' or '*' or '_' or '~' or '`' or '<')
            {
                sb.Append('\u200B');
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Teams message text (markdown plus an HTML subset, and <c>&lt;at&gt;</c> mentions): HTML-encode the
    /// three markup characters and backslash-escape markdown.
    /// </summary>
    public static string TeamsMessage(string? text)
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
}
