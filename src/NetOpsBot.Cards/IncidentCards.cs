using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Cards;

/// <summary>An incident with its card as stored: what any replica shows after a reload or a restart.</summary>
public sealed record IncidentCardState(Incident Incident, DiagnosisCardView Card, IReadOnlyList<TimelineEvent> Timeline);

/// <summary>
/// Keeps the card of each incident and rebuilds it from the stored timeline when it is not in
/// memory (page reload, host restart), so what people see is always what was stored.
/// </summary>
public sealed class IncidentCards(IIncidentStore store, IReadOnlyList<StepDescriptor> steps, CardLinks links)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

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
        view = ApplyEvent(view, n.Event, n.Report, n.Step);
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
        var view = timeline.Aggregate(Start(incident), (v, e) => ApplyEvent(v, e, null, null));
        return new IncidentCardState(incident, view, timeline);
    }

    public static JsonObject Render(DiagnosisCardView view) => AdaptiveCardRenderer.Render(view);

    private DiagnosisCardView Start(Incident incident) =>
        DiagnosisCardViewBuilder.Start(incident.Id.Value, incident.Device.Value, incident.Requester.DisplayName, incident.CreatedAt, steps, links);

    private static DiagnosisCardView ApplyEvent(DiagnosisCardView view, TimelineEvent e, DiagnosisReport? report, StepResult? step)
    {
        switch (e.Kind)
        {
            case TimelineEventKind.Requested when CardOrigin.FromData(e.Data) is { } origin:
                return view with { Origin = origin };
            case TimelineEventKind.StepStarted when e.Data is not null:
                var started = JsonSerializer.Deserialize<JsonObject>(e.Data);
                var stepId = started?["stepId"]?.GetValue<string>();
                return stepId is null ? view : DiagnosisCardViewBuilder.Apply(view, new StepStarted(stepId, e.At));
            case TimelineEventKind.StepFinished:
                var result = step ?? StepFromData(e.Data);
                return result is null ? view : DiagnosisCardViewBuilder.Apply(view, new StepFinished(result, e.At));
            case TimelineEventKind.Verdict:
                var r = report ?? ReportFromData(view, e);
                return r is null ? view : DiagnosisCardViewBuilder.Apply(view, new VerdictReached(r, e.IncidentId.Value + "-" + e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), e.At));
            case TimelineEventKind.Interrupted when view.Status == CardRunStatus.Running:
            case TimelineEventKind.Error when view.Status == CardRunStatus.Running:
                return DiagnosisCardViewBuilder.Apply(view, new DiagnosisInterrupted(e.Summary, e.At));
            case TimelineEventKind.Note when Field(e, "type") == "remediation-requested" && Field(e, "planId") is { } requestedPlan:
                return DiagnosisCardViewBuilder.Apply(view, new ApprovalRequested(requestedPlan, Field(e, "requester") ?? e.Actor, e.IncidentId.Value + "-" + e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), e.At)
                {
                    Notes = e.Data is not null && JsonSerializer.Deserialize<JsonObject>(e.Data)?["notes"] is JsonArray notes
                        ? notes.Select(n => n?.GetValue<string>()).OfType<string>().ToList()
                        : [],
                    RequestId = Field(e, "requestId"),
                    Commands = e.Data is not null && JsonSerializer.Deserialize<JsonObject>(e.Data)?["commands"] is JsonArray commands
                        ? commands.Select(n => n?.GetValue<string>()).OfType<string>().ToList()
                        : null,
                });
            case TimelineEventKind.Note when Field(e, "type") == "remediation-cancelled" && Field(e, "planId") is { } cancelledPlan && Field(e, "requestId") is { } cancelledRequest:
                return DiagnosisCardViewBuilder.Apply(view, new RequestCancelled(cancelledPlan, cancelledRequest, Field(e, "reason") ?? e.Summary, e.At));
            case TimelineEventKind.ApprovalGranted when Field(e, "planId") is { } approvedPlan:
                return DiagnosisCardViewBuilder.Apply(view, new ApprovalAdded(approvedPlan, Field(e, "approver") ?? e.Actor, e.At));
            case TimelineEventKind.ApprovalRejected when Field(e, "planId") is { } rejectedPlan:
                return DiagnosisCardViewBuilder.Apply(view, new ApprovalRejected(rejectedPlan, Field(e, "approver") ?? e.Actor, e.Summary, e.At));
            case TimelineEventKind.ActionStarted when Field(e, "planId") is { } startedPlan:
                return DiagnosisCardViewBuilder.Apply(view, new ExecutionStarted(startedPlan, e.At));
            case TimelineEventKind.ActionFinished when Field(e, "planId") is { } finishedPlan:
                var ok = e.Data is not null && JsonSerializer.Deserialize<JsonObject>(e.Data)?["succeeded"]?.GetValue<bool>() == true;
                return DiagnosisCardViewBuilder.Apply(view, new ExecutionFinished(finishedPlan, ok, e.Summary, e.At));
            default:
                return view;
        }
    }

    private static string? Field(TimelineEvent e, string name)
    {
        if (e.Data is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<JsonObject>(e.Data)?[name] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static StepResult? StepFromData(string? data)
    {
        if (data is null)
        {
            return null;
        }

        var d = JsonSerializer.Deserialize<StepData>(data, Json);
        return d is null
            ? null
            : new StepResult(d.StepId, d.Title, Enum.Parse<StepStatus>(d.Status), d.Finding, d.Evidence, d.RawOutput, TimeSpan.FromMilliseconds(d.DurationMs), 1) { Commands = d.Commands };
    }

    /// <summary>Rebuilds enough of a report from the stored verdict to draw the card again.</summary>
    private static DiagnosisReport? ReportFromData(DiagnosisCardView view, TimelineEvent e)
    {
        if (e.Data is null)
        {
            return null;
        }

        var d = JsonSerializer.Deserialize<VerdictData>(e.Data, Json);
        if (d is null)
        {
            return null;
        }

        var causes = d.RootCauses
            .Select(c => RootCause.FromCode(c.Code) is { } cause ? new RootCauseFinding(cause, c.RuleId, Enum.Parse<Confidence>(c.Confidence), c.Evidence) : null)
            .OfType<RootCauseFinding>()
            .ToList();
        var plans = d.Remediations.Select(p => p.ToPlan()).ToList();
        var device = new DeviceRef(DeviceName.Parse(view.Device), "huawei-vrp", view.Device, IPAddress.None, 22, [], null, null, null, "-");
        return new DiagnosisReport(device, view.StartedAt, e.At - view.StartedAt, [], causes, plans);
    }
}
