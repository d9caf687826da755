using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Core.Runbooks;

namespace NetOpsBot.Cards;

/// <summary>An incident with its card as stored: what any replica shows after a reload or a restart.</summary>
public sealed record IncidentCardState(Incident Incident, DiagnosisCardView Card, IReadOnlyList<TimelineEvent> Timeline)
{
    /// <summary>The incident read model of the same timeline.</summary>
    public IncidentStory? Story { get; init; }
}

/// <summary>
/// Keeps the card of each incident and rebuilds it from the stored timeline when it is not in
/// memory (page reload, host restart), so what people see is always what was stored.
/// </summary>
/// <remarks>
/// <paramref name="inventory"/> gives a card rebuilt from storage the device's expected boot time (the reboot's risk
/// line), as the live card has it from the report; without it the card says the boot time is unknown.
/// <paramref name="runbooks"/> gives a card its incident's runbook: title, command and steps (else <paramref name="steps"/>).
/// </remarks>
public sealed class IncidentCards(IIncidentStore store, IReadOnlyList<StepDescriptor> steps, CardLinks links, IDeviceInventory? inventory = null, RunbookRegistry? runbooks = null)
{
    private readonly ConcurrentDictionary<string, DiagnosisCardView> _views = new(StringComparer.Ordinal);

    /// <summary>
    /// The card after <paramref name="n"/>, from this replica's memory (fast, for the surface that watched
    /// the incident from its start). A surface on another replica should use <see cref="LoadAsync"/>.
    /// </summary>
    public DiagnosisCardView Apply(IncidentNotification n)
    {
        ArgumentNullException.ThrowIfNull(n);
        var id = n.Incident.Id.Value;
        var view = _views.GetOrAdd(id, _ => Start(n.Incident));
        view = ApplyEvent(view, n.Event, n.Report, n.Step, null, RunbookOf(n.Incident));
        _views[id] = view;
        return view;
    }

    /// <summary>The incident and its card rebuilt from the stored timeline, or null for an unknown id.</summary>
    public async Task<IncidentCardState?> LoadAsync(IncidentId id, CancellationToken ct)
    {
        var incident = await store.GetAsync(id, ct).ConfigureAwait(false);
        if (incident is null)
        {
            return null;
        }

        var timeline = await store.TimelineAsync(id, 0, ct).ConfigureAwait(false);
        var device = inventory is null ? null : await inventory.FindAsync(incident.Device, ct).ConfigureAwait(false);
        var runbook = RunbookOf(incident);
        var view = timeline.Aggregate(Start(incident), (v, e) => ApplyEvent(v, e, null, null, device?.ExpectedBootTime, runbook));
        var story = IncidentStory.Build(incident, timeline, runbook);

        // Rows stored before resolutions carried their headline: the story tells it.
        if (story.Closed && story.Resolution?.Headline is null && story.Headline() is { } headline)
        {
            view = view with { Status = CardRunStatus.Resolved, Headline = headline };
        }

        return new IncidentCardState(incident, view, timeline) { Story = story };
    }

    public static JsonObject Render(DiagnosisCardView view) => AdaptiveCardRenderer.Render(view);

    private DiagnosisCardView Start(Incident incident)
    {
        var runbook = RunbookOf(incident);
        var view = DiagnosisCardViewBuilder.Start(incident.Id.Value, incident.Device.Value, incident.Requester.DisplayName, incident.CreatedAt, runbook?.Steps ?? steps, links);
        return runbook is null ? view : view with { Kind = runbook.Title, Command = runbook.Command };
    }

    /// <summary>The incident's runbook (its title, command, steps and root-cause catalogue); null without a registry.</summary>
    public RunbookDefinition? RunbookOf(Incident incident) => runbooks is null ? null : runbooks.Find(incident.RunbookId) ?? runbooks.Default;

    private static DiagnosisCardView ApplyEvent(DiagnosisCardView view, TimelineEvent e, DiagnosisReport? report, StepResult? step, TimeSpan? bootTime, RunbookDefinition? runbook)
    {
        var nonce = e.IncidentId.Value + "-" + e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var read = IncidentEvents.Read(e);
        if (read is DiagnosisRequestedEvent { Alert: { } alert })
        {
            return view with { Origin = CardOrigin.From(alert) };
        }

        DiagnosisCardEvent? change = read switch
        {
            StepStartedEvent s => new StepStarted(s.StepId, e.At),
            StepFinishedEvent f => new StepFinished(step ?? f.ToResult(), e.At),
            VerdictEvent v => new VerdictReached(report ?? ReportFrom(view, v, e.At, bootTime, runbook), runbook, nonce, e.At),
            InterruptionEvent or ErrorEvent when view.Status == CardRunStatus.Running => new DiagnosisInterrupted(e.Summary, e.At),
            FixRequestedEvent r => new ApprovalRequested(r.PlanId, r.Requester, nonce, e.At) { Notes = r.Notes, RequestId = r.RequestId, Commands = r.Commands, RequesterKey = CardViewer.KeyOfActor(e.Actor), ExpiresAt = r.ExpiresAt },
            FixCancelledEvent c => new RequestCancelled(c.PlanId, c.RequestId, c.Reason, e.At) { Withdrawn = c.Withdrawn, Nonce = nonce },
            ApprovalEvent a => new ApprovalAdded(a.PlanId, a.Approver, e.At),
            RejectionEvent r => new ApprovalRejected(r.PlanId, r.RejectedBy, e.Summary, e.At),
            ExecutionStartedEvent x => new ExecutionStarted(x.PlanId, e.At),
            ExecutionFinishedEvent x => new ExecutionFinished(x.PlanId, x.Succeeded, e.Summary, e.At)
            {
                NotEffective = x.NotEffective,
                Evidence = x.VerificationEvidence,
                NextStep = x.NextStep,
            },
            RediagnosisStartedEvent r => new RunStarted(RunTitle(view, r), e.At),
            ResolutionEvent { Closed: true } r => new IncidentResolved(r.Headline ?? e.Summary, e.At),
            _ => null,
        };
        return change is null ? view : DiagnosisCardViewBuilder.Apply(view, change);
    }

    private static string RunTitle(DiagnosisCardView view, RediagnosisStartedEvent r)
    {
        var fix = view.Offers.FirstOrDefault(o => o.RequestId is not null && o.RequestId == r.RequestId) is { } o ? $"{o.Title} ({o.RequestId})" : r.RequestId;
        return r.Reason switch
        {
            RediagnosisStartedEvent.Recheck => fix is null ? "Re-check before a fix" : "Re-check before " + fix,
            RediagnosisStartedEvent.AfterFix => fix is null ? "After a fix" : "After " + fix,
            _ => "Re-diagnosis",
        };
    }

    /// <summary>Rebuilds enough of a report from the stored verdict to draw the card again.</summary>
    private static DiagnosisReport ReportFrom(DiagnosisCardView view, VerdictEvent d, DateTimeOffset at, TimeSpan? bootTime, RunbookDefinition? runbook)
    {
        // The runbook's catalogue gives today's texts; a cause it no longer knows keeps the texts stored with the verdict.
        var causes = d.RootCauses
            .Select(c => new RootCauseFinding(runbook?.Cause(c.Code)?.Cause ?? RootCause.OfStoredCode(c.Code, c.Title, c.Explanation), c.RuleId, Enum.TryParse<Confidence>(c.Confidence, out var conf) ? conf : Confidence.Low, c.Evidence) { KeyEvidence = c.KeyEvidence ?? [] })
            .ToList();
        var plans = d.Remediations.Select(p => p.ToPlan()).ToList();
        var device = new DeviceRef(DeviceName.Parse(view.Device), "huawei-vrp", view.Device, IPAddress.None, 22, [], null, null, null, "-") { ExpectedBootTime = bootTime };
        return new DiagnosisReport(device, view.StartedAt, at - view.StartedAt, [], causes, plans);
    }
}
