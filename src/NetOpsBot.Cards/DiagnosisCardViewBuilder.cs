using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Core.Runbooks;

namespace NetOpsBot.Cards;

/// <summary>
/// Pure fold of <see cref="DiagnosisCardEvent"/>s into a <see cref="DiagnosisCardView"/>: the same events in the
/// same order give the same card on every replica, and a card can be rebuilt from the stored timeline.
/// </summary>
public static class DiagnosisCardViewBuilder
{
    /// <summary>The first card: every runbook step listed as pending, so people see the whole plan at once.</summary>
    public static DiagnosisCardView Start(
        string incidentId,
        string device,
        string requester,
        DateTimeOffset startedAt,
        IReadOnlyList<StepDescriptor> steps,
        CardLinks? links = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(incidentId);
        ArgumentNullException.ThrowIfNull(steps);
        links ??= CardLinks.None;
        return new DiagnosisCardView(incidentId, device, requester, CardRunStatus.Running, startedAt, TimeSpan.Zero)
        {
            Steps = steps.Select(s => new StepView(s.Id, s.Title, CardStepStatus.Pending) { FullOutputUrl = links.StepOutput(incidentId, s.Id) }).ToList(),
            IncidentUrl = links.Incident(incidentId),
            Links = links,
        };
    }

    /// <summary>Builds the final card of a finished report (for an export or a card rebuilt after restart).</summary>
    public static DiagnosisCardView FromReport(RunbookDefinition? runbook, string incidentId, string requester, DiagnosisReport report, string nonce, CardLinks? links = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var view = Start(incidentId, report.Device.Name.Value, requester, report.StartedAt,
            report.Steps.Select(s => new StepDescriptor(s.StepId, s.Title)).ToList(), links);
        var end = report.StartedAt + report.Duration;
        foreach (var step in report.Steps)
        {
            view = Apply(view, new StepFinished(step, end));
        }

        return Apply(view, new VerdictReached(report, runbook, nonce, end));
    }

    public static DiagnosisCardView ApplyAll(DiagnosisCardView view, IEnumerable<DiagnosisCardEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            view = Apply(view, e);
        }

        return view;
    }

    public static DiagnosisCardView Apply(DiagnosisCardView view, DiagnosisCardEvent e)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(e);

        // Events may arrive late or be replayed: elapsed never goes backwards.
        var elapsed = e.At - view.StartedAt;
        view = elapsed > view.Elapsed && view.Status == CardRunStatus.Running ? view with { Elapsed = elapsed } : view;

        return e switch
        {
            StepStarted s => UpdateStep(view, s.StepId, st => st.Status == CardStepStatus.Pending ? st with { Status = CardStepStatus.Running } : st),
            StepFinished f => Finish(view, f.Result),
            VerdictReached v => Verdict(view, v),
            ApprovalRequested r => UpdateOffer(view, r.PlanId, o => o.State == OfferState.Offered
                ? WithButtons(view, o with { State = OfferState.PendingApproval, RequestedBy = r.Requester, RequesterKey = r.RequesterKey, ExpiresAt = r.ExpiresAt, RequestId = r.RequestId, Commands = r.Commands ?? o.Commands, Notes = [.. o.Notes, .. r.Notes] }, r.Nonce)
                : o),
            RequestCancelled { Withdrawn: true, Nonce: { } nonce } c => UpdateOffer(view, c.PlanId, o => o.RequestId == c.RequestId && o.State is OfferState.PendingApproval
                ? WithButtons(view, o with { State = OfferState.Offered, StateDetail = c.Reason, RequestId = null, RequestedBy = null, RequesterKey = null, ExpiresAt = null, TimeLeft = null, Approvals = [] }, nonce)
                : o),
            RequestCancelled c => UpdateOffer(view, c.PlanId, o => o.RequestId == c.RequestId && o.State is OfferState.PendingApproval or OfferState.Approved
                ? o with { State = OfferState.Cancelled, StateDetail = $"cancelled: {c.Reason}", Buttons = [] }
                : o),
            ApprovalAdded a => UpdateOffer(view, a.PlanId, o => AddApproval(o, a)),
            ApprovalRejected r => UpdateOffer(view, r.PlanId, o => o with
            {
                State = OfferState.Rejected,
                StateDetail = r.Reason is null ? $"rejected by {r.RejectedBy}" : $"rejected by {r.RejectedBy}: {r.Reason}",
                Buttons = [],
            }),
            ExecutionStarted x => UpdateOffer(view, x.PlanId, o => o with { State = OfferState.Executing, Buttons = [] }),
            ExecutionFinished x => UpdateOffer(view, x.PlanId, o => o with
            {
                State = OfferState.Done,
                StateDetail = x.NotEffective
                    ? $"applied, not effective: {x.Evidence}. The commands were sent but the device did not change. " + (x.NextStep is { Length: > 0 } next ? $"Next: {next}." : "The re-diagnosis shows what remains: request the next fix it offers.")
                    : (x.Succeeded ? "succeeded: " : "failed: ") + x.Summary,
                Buttons = [],
            }),
            RunStarted r => NextRun(view, r),
            IncidentResolved r => view with { Status = CardRunStatus.Resolved, Headline = r.Headline },
            DiagnosisInterrupted i => view with
            {
                Status = CardRunStatus.Interrupted,
                Note = i.Reason,
                Steps = view.Steps.Select(s => s.Status is CardStepStatus.Pending or CardStepStatus.Running ? s with { Status = CardStepStatus.Skipped } : s).ToList(),
            },
            _ => view,
        };
    }

    /// <summary>
    /// Keeps the finished run (verdict, evidence, steps with their own output links) as an earlier run and lists the
    /// steps again as pending for the new one. Offers stay until the new verdict replaces them: a fix approved before
    /// a re-check still shows its state.
    /// </summary>
    private static DiagnosisCardView NextRun(DiagnosisCardView view, RunStarted r)
    {
        var finished = new RunView(view.Run, view.RunTitle ?? "Initial diagnosis")
        {
            Verdicts = view.Verdicts,
            Steps = view.Steps.Where(s => s.Status is not (CardStepStatus.Pending or CardStepStatus.Running)).ToList(),
        };
        var run = view.Run + 1;
        return view with
        {
            Status = view.Status == CardRunStatus.Resolved ? view.Status : CardRunStatus.Running,
            Run = run,
            RunTitle = r.Title,
            // The finished run's verdict goes with it: shown beside the new run's first findings it would claim, for
            // example, "no route back" next to "22 refused (RST)" measured after the route was added.
            Verdicts = view.Status == CardRunStatus.Resolved ? view.Verdicts : [],
            EarlierRuns = [.. view.EarlierRuns, finished],
            Steps = view.Steps.Select(s => new StepView(s.Id, s.Title, CardStepStatus.Pending) { FullOutputUrl = view.Links.StepOutput(view.IncidentId, s.Id, run) }).ToList(),
        };
    }

    private static DiagnosisCardView Finish(DiagnosisCardView view, StepResult r)
    {
        var known = view.Steps.Any(s => s.Id == r.StepId);
        var link = view.Steps.FirstOrDefault(s => s.Id == r.StepId)?.FullOutputUrl;
        var step = new StepView(r.StepId, r.Title, Map(r.Status))
        {
            Finding = r.Finding,
            Evidence = r.Evidence,
            Commands = r.Commands,
            Duration = r.Duration,
            HasFullOutput = !string.IsNullOrEmpty(r.RawOutput),
            FullOutputUrl = link,
        };

        // A step the runbook did not announce still belongs on the card (appended), never dropped.
        return known ? UpdateStep(view, r.StepId, _ => step) : view with { Steps = [.. view.Steps, step] };
    }

    private static DiagnosisCardView Verdict(DiagnosisCardView view, VerdictReached v) => view with
    {
        Status = view.Status == CardRunStatus.Interrupted ? CardRunStatus.Interrupted : CardRunStatus.Done,
        Elapsed = v.Report.Duration > TimeSpan.Zero ? v.Report.Duration : view.Elapsed,
        Verdicts = v.Report.RootCauses.Select(c => new VerdictView(c.Cause.Code, c.Cause.Title, c.Cause.Explanation, c.RuleId, c.Confidence.ToString())
        {
            Evidence = c.Evidence,
            KeyEvidence = c.KeyEvidence,
        }).ToList(),
        Offers = Ordered(v.Report.Remediations.Select(p => Pending(view, p.Id, p.Commands.Select(c => c.Text)) ?? WithButtons(view, new RemediationOfferView(
            p.Id, p.Title, p.Commands.Select(c => c.Text).ToList(), p.Kind, p.ApproversRequired, OfferState.Offered)
        {
            Notes = p.Notes,
        }, v.Nonce)).Select(o => Guided(o, v.Report, v.Runbook)), v.Runbook),
    };

    // Dependency order (path back first, reboot after the configuration fixes); stable, so the runbook's order breaks ties.
    private static List<RemediationOfferView> Ordered(IEnumerable<RemediationOfferView> offers, RunbookDefinition? runbook) =>
        offers.Select((o, i) => (o, i)).OrderBy(x => FixGuidance.Rank(x.o, runbook)).ThenBy(x => x.i).Select(x => x.o).ToList();

    private static RemediationOfferView Guided(RemediationOfferView o, DiagnosisReport report, RunbookDefinition? runbook)
    {
        var cause = report.Remediations.FirstOrDefault(p => p.Id == o.PlanId)?.RootCause.Code;
        if (cause is null)
        {
            return o;
        }

        return o with
        {
            Cause = cause,
            Why = FixGuidance.WhyFor(runbook, cause, o.Kind),
            Risk = FixGuidance.RiskFor(o.Kind, report.Device.Name.Value, report.Device.ExpectedBootTime),
            Expectation = FixGuidance.ExpectationFor(runbook, cause, o.Kind),
        };
    }

    // A request still open when the runbook runs again (the re-check before a reboot) stays what it is: requested,
    // approved or running, not offered anew. Only for the same commands: different ones are a different fix.
    private static RemediationOfferView? Pending(DiagnosisCardView view, string planId, IEnumerable<string> commands) =>
        view.Offers.FirstOrDefault(o => o.PlanId == planId && o.State is OfferState.PendingApproval or OfferState.Approved or OfferState.Executing && o.Commands.SequenceEqual(commands));

    private static RemediationOfferView AddApproval(RemediationOfferView o, ApprovalAdded a)
    {
        if (o.State != OfferState.PendingApproval || o.Approvals.Any(x => x.User == a.Approver))
        {
            return o;
        }

        var approvals = o.Approvals.Append(new ApprovalView(a.Approver, a.At)).ToList();
        return approvals.Count >= o.ApproversRequired
            ? o with { Approvals = approvals, State = OfferState.Approved, Buttons = [] }
            : o with { Approvals = approvals };
    }

    private static RemediationOfferView WithButtons(DiagnosisCardView view, RemediationOfferView o, string nonce)
    {
        var buttons = o.State switch
        {
            OfferState.Offered when o.Kind != RemediationKind.Manual => new List<CardButton>
            {
                new(RunTitle(o), new CardAction(CardActionVerb.Run, view.IncidentId, o.PlanId, nonce) { CommandsHash = ClickTarget.HashCommands(o.Commands) },
                    o.Kind == RemediationKind.Reboot ? ButtonStyle.Danger : ButtonStyle.Primary)
                {
                    ConfirmText = o.Kind == RemediationKind.Reboot
                        ? $"Request a reboot of {view.Device}? It needs {o.ApproversRequired} approvers and the device will be down while it boots."
                        : null,
                },
            },
            OfferState.PendingApproval => new List<CardButton>
            {
                // Several fixes can wait for approval at once: each button names the fix it approves.
                // Each button also names the request and the hash of the commands shown above it: a click counts
                // only for exactly those (a button left on an old card is refused).
                new(ButtonTitle("Approve: ", o.Title), new CardAction(CardActionVerb.Approve, view.IncidentId, o.PlanId, nonce) { RequestId = o.RequestId, CommandsHash = ClickTarget.HashCommands(o.Commands), Requester = o.RequesterKey }, ButtonStyle.Primary),
                new(ButtonTitle("Reject: ", o.Title), new CardAction(CardActionVerb.Reject, view.IncidentId, o.PlanId, nonce) { RequestId = o.RequestId, CommandsHash = ClickTarget.HashCommands(o.Commands), Requester = o.RequesterKey }, ButtonStyle.Danger),

                // The requester's own button (CardViewer shows it to them instead of Approve/Reject).
                new(ButtonTitle("Withdraw: ", o.Title), new CardAction(CardActionVerb.Withdraw, view.IncidentId, o.PlanId, nonce) { RequestId = o.RequestId, CommandsHash = ClickTarget.HashCommands(o.Commands), Requester = o.RequesterKey }),
            },
            _ => [],
        };
        return o with { Buttons = buttons };
    }

    // Slack caps button text at 75 characters.
    private static string ButtonTitle(string verb, string title) =>
        verb.Length + title.Length <= 75 ? verb + title : verb + title[..(74 - verb.Length)] + "…";

    private static string RunTitle(RemediationOfferView o) => o.Kind switch
    {
        RemediationKind.Reboot => "Request reboot",
        _ => o.ApproversRequired > 0 ? "Request: " + o.Title : "Apply: " + o.Title,
    };

    private static DiagnosisCardView UpdateStep(DiagnosisCardView view, string id, Func<StepView, StepView> change) =>
        view with { Steps = view.Steps.Select(s => s.Id == id ? change(s) : s).ToList() };

    private static DiagnosisCardView UpdateOffer(DiagnosisCardView view, string planId, Func<RemediationOfferView, RemediationOfferView> change) =>
        view with { Offers = view.Offers.Select(o => o.PlanId == planId ? change(o) : o).ToList() };

    private static CardStepStatus Map(StepStatus s) => s switch
    {
        StepStatus.Ok => CardStepStatus.Ok,
        StepStatus.Warn => CardStepStatus.Warn,
        StepStatus.Fail => CardStepStatus.Fail,
        StepStatus.Skipped => CardStepStatus.Skipped,
        _ => CardStepStatus.Error,
    };
}
