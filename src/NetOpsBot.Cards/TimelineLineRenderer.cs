namespace NetOpsBot.Cards;

/// <summary>
/// One line per timeline event, posted as a thread reply under the card: Teams message markdown or Slack
/// mrkdwn, with every untrusted value escaped for that target.
/// </summary>
public static class TimelineLineRenderer
{
    /// <summary>A thread line is a summary; the card and the full output carry the detail.</summary>
    public const int MaxLineChars = 500;

    public static string ForTeams(DiagnosisCardEvent e) => Line(e, CardText.TeamsMessage, s => $"**{s}**");

    public static string ForSlack(DiagnosisCardEvent e) => Line(e, CardText.Slack, s => $"*{s}*");

    /// <summary>Plain text (CLI, logs of the web chat); control characters removed.</summary>
    public static string ForPlainText(DiagnosisCardEvent e) => Line(e, t => CardText.Clean(t).Replace('\n', ' '), s => s);

    private static string Line(DiagnosisCardEvent e, Func<string, string> esc, Func<string, string> bold)
    {
        ArgumentNullException.ThrowIfNull(e);
        var time = e.At.ToUniversalTime().ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var text = e switch
        {
            StepStarted s => $"🔄 step {bold(esc(s.StepId))} started",
            StepFinished f => $"{CardText.Icon(MapStatus(f.Result.Status))} {bold(esc(f.Result.Title))} · {CardText.Label(MapStatus(f.Result.Status))} · {CardText.Duration(f.Result.Duration)}: {esc(FirstLine(f.Result.Finding))}",
            VerdictReached v => $"🧭 verdict: {bold(esc(string.Join(", ", v.Report.RootCauseCodes)))}; {v.Report.Remediations.Count} remediation(s) offered",
            ApprovalRequested r => $"📝 {esc(r.Requester)} requested {bold(esc(r.PlanId))}, waiting for approval",
            ApprovalAdded a => $"👍 {esc(a.Approver)} approved {bold(esc(a.PlanId))}",
            ApprovalRejected r => $"👎 {esc(r.RejectedBy)} rejected {bold(esc(r.PlanId))}" + (r.Reason is null ? string.Empty : ": " + esc(r.Reason)),
            ExecutionStarted x => $"▶️ executing {bold(esc(x.PlanId))}",
            ExecutionFinished x => $"{(x.Succeeded ? "✅" : "❌")} {bold(esc(x.PlanId))} {(x.Succeeded ? "succeeded" : "failed")}: {esc(FirstLine(x.Summary))}",
            DiagnosisInterrupted i => $"⛔ diagnosis interrupted: {esc(FirstLine(i.Reason))}",
            _ => esc(e.GetType().Name),
        };
        return CardText.Cut($"{time} {text}", MaxLineChars);
    }

    private static string FirstLine(string text)
    {
        var nl = text.IndexOf('\n', StringComparison.Ordinal);
        return nl < 0 ? text : text[..nl];
    }

    private static CardStepStatus MapStatus(Core.Diagnosis.StepStatus s) => s switch
    {
        Core.Diagnosis.StepStatus.Ok => CardStepStatus.Ok,
        Core.Diagnosis.StepStatus.Warn => CardStepStatus.Warn,
        Core.Diagnosis.StepStatus.Fail => CardStepStatus.Fail,
        Core.Diagnosis.StepStatus.Skipped => CardStepStatus.Skipped,
        _ => CardStepStatus.Error,
    };
}
