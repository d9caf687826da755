using System.Globalization;

namespace NetOpsBot.Cards;

/// <summary>How the headline is coloured; always paired with words that say the same (no meaning in colour alone).</summary>
internal enum CardTone
{
    Accent,
    Good,
    Attention,
    Warning,
}

/// <summary>
/// The answer-first reading of a <see cref="DiagnosisCardView"/> that both renderers draw in the same order: the
/// headline (device and state), one sentence per cause with its key evidence, the next action, then the collapsed
/// steps and the fixes in dependency order. Pure functions of the view, so Teams, Slack and the web chat agree.
/// </summary>
internal static partial class CardLayout
{
    /// <summary>Evidence lines shown next to a cause on top; the rest is one click away.</summary>
    public const int KeyEvidenceLines = 3;

    public static (string Text, CardTone Tone) Headline(DiagnosisCardView view)
    {
        var device = CardText.Clean(view.Device);
        switch (view.Status)
        {
            case CardRunStatus.Resolved:
                var story = view.Headline is { Length: > 0 } h ? CardText.Clean(h) : "Resolved";
                return (story.StartsWith("Resolved", StringComparison.Ordinal) ? story : "Resolved · " + story, CardTone.Good);
            case CardRunStatus.Interrupted:
                return ($"{device} · diagnosis interrupted", CardTone.Warning);
            case CardRunStatus.Running:
                var (k, n) = StepPosition(view);
                var what = view.Run > 1 ? "re-checking" : "diagnosing";
                return (string.Create(CultureInfo.InvariantCulture, $"{device} · {what} (step {k} of {n})"), CardTone.Accent);
        }

        var causes = Causes(view);
        if (causes.Count == 0)
        {
            return ($"{device} · SSH healthy · no fault found", CardTone.Good);
        }

        var count = causes.Count == 1 ? "1 cause found" : string.Create(CultureInfo.InvariantCulture, $"{causes.Count} causes found");
        return ($"{device} · SSH down · {count}", CardTone.Attention);
    }

    /// <summary>The root causes of the latest verdict, without the "healthy" finding.</summary>
    public static IReadOnlyList<VerdictView> Causes(DiagnosisCardView view) => view.Verdicts.Where(v => v.Code != "healthy").ToList();

    /// <summary>While running: which step is under way and what the finished ones found, in one line.</summary>
    public static string Progress(DiagnosisCardView view)
    {
        var (k, n) = StepPosition(view);
        var current = view.Steps.FirstOrDefault(s => s.Status == CardStepStatus.Running) ?? view.Steps.FirstOrDefault(s => s.Status == CardStepStatus.Pending);
        var done = view.Steps.Count(s => s.Status is not (CardStepStatus.Pending or CardStepStatus.Running));
        var failed = view.Steps.Count(s => s.Status is CardStepStatus.Fail or CardStepStatus.Error);
        var line = current is null
            ? string.Create(CultureInfo.InvariantCulture, $"{done} of {n} steps done, verdict next")
            : string.Create(CultureInfo.InvariantCulture, $"Step {k} of {n}: {CardText.Clean(current.Title)} · {done} done");
        if (failed > 0)
        {
            line += string.Create(CultureInfo.InvariantCulture, $", {failed} failed so far");
        }

        return line + " · running for " + CardText.Duration(view.Elapsed);
    }

    /// <summary>
    /// The key evidence of a cause on one line: the facts its rule named ("display tcp status: listening on 64443,
    /// nothing on 22 · 22: refused (RST)"), else (a verdict stored before rules named them) the evidence's first lines.
    /// </summary>
    /// <remarks>Runs of spaces (table columns) become one: the words stay, the line fits the top block.</remarks>
    public static string KeyEvidence(VerdictView v) =>
        string.Join(" · ", KeyLines(v).Select(e => CardText.Cut(Spaces().Replace(CardText.Clean(e).Trim(), " "), 160)));

    /// <summary>Whether the cause's details repeat its evidence: always when the key line summarises it, else only what the key line left out.</summary>
    public static bool EvidenceInDetails(VerdictView v) => v.KeyEvidence.Count > 0 ? v.Evidence.Count > 0 : v.Evidence.Count > KeyEvidenceLines;

    private static IEnumerable<string> KeyLines(VerdictView v) => v.KeyEvidence.Count > 0 ? v.KeyEvidence : v.Evidence.Take(KeyEvidenceLines);

    [System.Text.RegularExpressions.GeneratedRegex(" {2,}")]
    private static partial System.Text.RegularExpressions.Regex Spaces();

    /// <summary>
    /// The offer whose buttons belong on top: a request waiting for approval first (it is what the incident waits on),
    /// else the first fix in dependency order the evidence does not doubt, else any fix with a button.
    /// </summary>
    public static RemediationOfferView? Primary(DiagnosisCardView view)
    {
        // While a fix is approved or running, the next click waits for its outcome: no other fix is pushed on top.
        if (InProgress(view) is not null)
        {
            return null;
        }

        var actionable = view.Offers.Where(o => o.Buttons.Count > 0).ToList();
        return actionable.FirstOrDefault(o => o.State is OfferState.PendingApproval)
            ?? actionable.FirstOrDefault(o => o.Expectation is null)
            ?? actionable.FirstOrDefault();
    }

    /// <summary>The fix approved or running right now, shown on top instead of a next action.</summary>
    public static RemediationOfferView? InProgress(DiagnosisCardView view) =>
        view.Offers.FirstOrDefault(o => o.State is OfferState.Approved or OfferState.Executing);

    /// <summary>
    /// Whether the top block's "Next:" or "Waiting for approval:" already says the primary fix's state: the word again
    /// would only push the button down (in Teams' narrow column it took a line of its own).
    /// </summary>
    public static bool StateSaidByPrefix(RemediationOfferView o) => o.State is OfferState.Offered or OfferState.PendingApproval;

    /// <summary>One line about the offer's state: who requested, approvals so far, what happened.</summary>
    public static string OfferStatus(RemediationOfferView o, bool withState = true)
    {
        var parts = withState ? new List<string> { CardText.Label(o.State) } : [];
        if (o.RequestedBy is not null)
        {
            parts.Add("requested by " + CardText.Clean(o.RequestedBy));
        }

        if (o.ApproversRequired == 0)
        {
            parts.Add("no approval needed");
        }
        else if (o.State is OfferState.Offered)
        {
            parts.Add(o.ApproversRequired == 1 ? "needs 1 approver" : string.Create(CultureInfo.InvariantCulture, $"needs {o.ApproversRequired} approvers"));
        }
        else
        {
            var names = o.Approvals.Count == 0 ? string.Empty : " (" + string.Join(", ", o.Approvals.Select(a => $"{CardText.Clean(a.User)} at {CardText.Clock(a.At)}")) + ")";
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"approvals {o.Approvals.Count} of {o.ApproversRequired}") + names);
        }

        if (CardViewer.Expiry(o) is { } expires)
        {
            parts.Add("expires " + expires);
        }

        return string.Join(" · ", parts);
    }

    /// <summary>"FAIL · TCP listeners · listening on 0.0.0.0:64443 … · 0.4 s": status word first, so no icon is needed.</summary>
    public static string StepLine(StepView s)
    {
        var line = CardText.Clean(s.Title);
        if (!string.IsNullOrWhiteSpace(s.Finding))
        {
            line += " · " + CardText.Cut(FirstLine(CardText.Clean(s.Finding)), 200);
        }

        if (s.Duration is { } d)
        {
            line += " · " + CardText.Duration(d);
        }

        return line;
    }

    public static string StatusWord(CardStepStatus s) => CardText.Label(s).ToUpperInvariant();

    /// <summary>Who, what and when, at the bottom: the incident id, the requester, the start (UTC) and how long the run took.</summary>
    /// <remarks><paramref name="started"/> is inserted as given (it may hold the client's own time token); the rest goes through <paramref name="escape"/>.</remarks>
    public static string Footer(DiagnosisCardView view, string started, Func<string, string> escape)
    {
        var took = view.Status == CardRunStatus.Running
            ? "running for " + CardText.Duration(view.Elapsed)
            : "diagnosis took " + CardText.Duration(view.Elapsed);
        var who = view.Origin is null ? "requested by " : "opened by ";
        return escape($"{view.Kind} · {view.Device} · {view.IncidentId} · {who}{view.Requester} · started ") + started + escape(" · " + took);
    }

    private static (int Current, int Total) StepPosition(DiagnosisCardView view)
    {
        var n = Math.Max(1, view.Steps.Count);
        var running = view.Steps.Select((s, i) => (s, i)).FirstOrDefault(x => x.s.Status == CardStepStatus.Running);
        if (running.s is not null)
        {
            return (running.i + 1, n);
        }

        var done = view.Steps.Count(s => s.Status is not (CardStepStatus.Pending or CardStepStatus.Running));
        return (Math.Min(n, done + 1), n);
    }

    private static string FirstLine(string text)
    {
        var nl = text.IndexOf('\n', StringComparison.Ordinal);
        return nl < 0 ? text : text[..nl];
    }
}
