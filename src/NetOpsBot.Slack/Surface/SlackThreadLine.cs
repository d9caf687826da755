using System.Globalization;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Slack.Surface;

/// <summary>A stored timeline event as one reply in the card's thread (Slack mrkdwn, untrusted text escaped).</summary>
public static class SlackThreadLine
{
    public const int MaxChars = 2_000;

    public static string Render(TimelineEvent e) => Render(e, e?.Summary ?? string.Empty);

    /// <summary>The event's mark and time with <paramref name="text"/>, its thread line (<see cref="Core.Chat.ThreadLines"/>).</summary>
    public static string Render(TimelineEvent e, string text)
    {
        ArgumentNullException.ThrowIfNull(e);
        // The typed event first: how the incident ended and a fix that did not take deserve their own mark.
        var icon = IncidentEvents.Read(e) switch
        {
            ResolutionEvent { Closed: true } => ":white_check_mark:",
            ExecutionFinishedEvent { NotEffective: true } => ":warning:",
            _ => KindIcon(e.Kind),
        };
        var time = e.At.ToUniversalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        return SlackText.Cut($"{icon} `{time}` {SlackText.Escape(text)}", MaxChars);
    }

    private static string KindIcon(TimelineEventKind kind) =>
        kind switch
        {
            TimelineEventKind.Requested => ":inbox_tray:",
            TimelineEventKind.StepStarted => ":arrows_counterclockwise:",
            TimelineEventKind.StepFinished => ":white_check_mark:",
            TimelineEventKind.Verdict => ":compass:",
            TimelineEventKind.RemediationOffered => ":wrench:",
            TimelineEventKind.ApprovalGranted => ":+1:",
            TimelineEventKind.ApprovalRejected => ":-1:",
            TimelineEventKind.ActionStarted => ":arrow_forward:",
            TimelineEventKind.ActionFinished => ":checkered_flag:",
            TimelineEventKind.Recovery => ":satellite_antenna:",
            TimelineEventKind.Error or TimelineEventKind.Interrupted => ":no_entry:",
            _ => ":memo:",
        };
}
