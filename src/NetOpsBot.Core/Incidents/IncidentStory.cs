using System.Globalization;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Runbooks;

namespace NetOpsBot.Core.Incidents;

/// <summary>A stored row with its typed meaning.</summary>
public sealed record StoryEvent(TimelineEvent Row, IncidentEvent Event);

/// <summary>One finished step of one run.</summary>
public sealed record StoryStep(int Run, long Sequence, DateTimeOffset At, StepFinishedEvent Result);

/// <summary>
/// One runbook run: the initial diagnosis (<see cref="Number"/> 1), a re-check before a fix runs, or the re-diagnosis
/// after a fix. <see cref="AfterRequestId"/> names the fix it follows or checks.
/// </summary>
public sealed class DiagnosisRun
{
    internal DiagnosisRun(int number, string reason, string? afterRequestId, DateTimeOffset startedAt)
    {
        Number = number;
        Reason = reason;
        AfterRequestId = afterRequestId;
        StartedAt = startedAt;
    }

    public const string Initial = "initial";

    public int Number { get; }

    /// <summary><see cref="Initial"/>, <see cref="RediagnosisStartedEvent.Recheck"/> or <see cref="RediagnosisStartedEvent.AfterFix"/>.</summary>
    public string Reason { get; internal set; }

    public string? AfterRequestId { get; internal set; }

    public DateTimeOffset StartedAt { get; }

    public List<StoryStep> Steps { get; } = [];

    public VerdictEvent? Verdict { get; internal set; }

    public DateTimeOffset? VerdictAt { get; internal set; }

    public long VerdictSequence { get; internal set; }

    public bool Healthy => Verdict?.Healthy == true;

    /// <summary>Findings and evidence lines of the run (what made its verdict concrete).</summary>
    public IEnumerable<string> Facts => Steps.SelectMany(s => s.Result.Evidence.Prepend(s.Result.Finding))
        .Concat(Verdict?.RootCauses.SelectMany(c => c.Evidence) ?? []);

    public string Title(IReadOnlyList<StoryFix> fixes) => Reason switch
    {
        Initial => "Initial diagnosis",
        RediagnosisStartedEvent.Recheck => $"Re-check before {FixLabel(fixes)}",
        _ => $"After {FixLabel(fixes)}",
    };

    private string FixLabel(IReadOnlyList<StoryFix> fixes) =>
        fixes.FirstOrDefault(f => f.RequestId == AfterRequestId) is { } f ? $"{f.Name} ({f.RequestId})" : AfterRequestId ?? "a fix";
}

/// <summary>Where a fix stands.</summary>
public enum FixOutcome
{
    Requested,
    Approved,
    Rejected,
    Cancelled,
    Expired,
    Running,

    /// <summary>Nothing was sent: the evidence changed on the re-check just before it would have run.</summary>
    NotRun,
    Failed,

    /// <summary>Sent, and the read-back (or the next diagnosis) shows it did not take effect.</summary>
    NotEffective,

    /// <summary>Sent and verified; no diagnosis after it yet.</summary>
    Applied,

    /// <summary>Sent, verified, and its root cause is gone in the next diagnosis.</summary>
    Effective,

    /// <summary>The host running it stopped before it reported a result.</summary>
    Interrupted,
}

/// <summary>An approval of a fix: who and when.</summary>
public sealed record StoryApproval(string Approver, DateTimeOffset At);

/// <summary>One requested fix from request to outcome.</summary>
public sealed class StoryFix
{
    internal StoryFix(FixRequestedEvent requested, DateTimeOffset at, VerdictPlan? plan, RunbookDefinition? runbook)
    {
        RequestId = requested.RequestId;
        PlanId = requested.PlanId;
        Requester = requested.Requester;
        Commands = requested.Commands;
        Notes = requested.Notes;
        RequestedAt = at;
        Title = plan?.Title ?? requested.PlanId;
        RootCause = plan?.RootCause;
        IsReboot = string.Equals(plan?.Kind, nameof(Remediation.RemediationKind.Reboot), StringComparison.Ordinal) || requested.PlanId.EndsWith(".reboot", StringComparison.Ordinal);
        Name = RootCauseCatalogue.FixName(runbook, PlanId, Title, IsReboot);
    }

    public string RequestId { get; }

    public string PlanId { get; }

    public string Title { get; }

    /// <summary>A short name for headlines ("default route").</summary>
    public string Name { get; }

    /// <summary>The root cause code the fix was offered for, when the verdict that offered it is on the timeline.</summary>
    public string? RootCause { get; }

    public bool IsReboot { get; }

    public string Requester { get; }

    public DateTimeOffset RequestedAt { get; }

    public IReadOnlyList<string> Commands { get; }

    public IReadOnlyList<string> Notes { get; }

    public List<StoryApproval> Approvals { get; } = [];

    public DateTimeOffset? ApprovedAt { get; internal set; }

    public string? RejectedBy { get; internal set; }

    public string? CancelReason { get; internal set; }

    public DateTimeOffset? ClosedAt { get; internal set; }

    public DateTimeOffset? ExecutionStartedAt { get; internal set; }

    public ExecutionFinishedEvent? Execution { get; internal set; }

    public DateTimeOffset? ExecutionFinishedAt { get; internal set; }

    public RecoveryEvent? Recovery { get; internal set; }

    public DateTimeOffset? RecoveredAt { get; internal set; }

    public bool Interrupted { get; internal set; }

    public bool Expired { get; internal set; }

    /// <summary>The verdict of the first diagnosis after the fix ran (null until one exists).</summary>
    public VerdictEvent? NextVerdict { get; internal set; }

    public FixOutcome Outcome
    {
        get
        {
            if (Execution is { } x)
            {
                if (x.Aborted)
                {
                    return FixOutcome.NotRun;
                }

                if (x.NotEffective)
                {
                    return FixOutcome.NotEffective;
                }

                if (!x.Succeeded)
                {
                    return FixOutcome.Failed;
                }

                // The read-back can pass while the fault stays (the reference case's `ssh server port 22`): the next
                // diagnosis is the judge.
                if (NextVerdict is { } v && RootCause is { } code && v.Codes.Contains(code))
                {
                    return FixOutcome.NotEffective;
                }

                return NextVerdict is null ? FixOutcome.Applied : FixOutcome.Effective;
            }

            return this switch
            {
                { Interrupted: true } => FixOutcome.Interrupted,
                { ExecutionStartedAt: not null } => FixOutcome.Running,
                { RejectedBy: not null } => FixOutcome.Rejected,
                { CancelReason: not null } => FixOutcome.Cancelled,
                { Expired: true } => FixOutcome.Expired,
                { ApprovedAt: not null } => FixOutcome.Approved,
                _ => FixOutcome.Requested,
            };
        }
    }

    /// <summary>The read-back's words for people: "verified: …", "applied, not effective: …".</summary>
    public string ResultText
    {
        get
        {
            var x = Execution;
            return Outcome switch
            {
                FixOutcome.Effective => "applied and verified" + Evidence(x),
                FixOutcome.Applied => "applied and verified" + Evidence(x),
                FixOutcome.NotEffective when x is { NotEffective: true } => "applied, not effective" + Evidence(x),
                FixOutcome.NotEffective => $"applied, not effective: the next diagnosis still shows {RootCause}",
                FixOutcome.NotRun => "not run: the evidence changed on the re-check",
                FixOutcome.Failed => "failed" + Evidence(x),
                FixOutcome.Interrupted => "interrupted: the host running it stopped; not repeated",
                FixOutcome.Rejected => $"rejected by {RejectedBy}",
                FixOutcome.Cancelled => $"cancelled: {CancelReason}",
                FixOutcome.Expired => "expired without enough approvals",
                FixOutcome.Running => "running",
                FixOutcome.Approved => "approved, not run yet",
                _ => "waiting for approval",
            };
        }
    }

    // One line: the read-back can be a whole `display` output; the postmortem prints it in full separately.
    private static string Evidence(ExecutionFinishedEvent? x)
    {
        if (x is null || string.IsNullOrWhiteSpace(x.VerificationEvidence))
        {
            return string.Empty;
        }

        var line = string.Join(" / ", x.VerificationEvidence.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return ": " + (line.Length > 300 ? line[..299] + "…" : line);
    }
}

/// <summary>A root cause the incident was opened for (or that appeared on the way), and the fixes that removed it.</summary>
public sealed record StoryRootCause(VerdictCause Cause, int FirstRun, IReadOnlyList<StoryFix> FixedBy)
{
    public bool Fixed => FixedBy.Count > 0;
}

/// <summary>
/// The incident read model: one story built from the typed timeline, read by the card, the postmortem, the thread
/// and the plan rebuild. Runs (initial, re-checks, re-diagnoses) keep their own steps and verdicts; fixes carry who
/// requested and approved them, what ran and what the read-back said.
/// </summary>
public sealed class IncidentStory
{
    private IncidentStory(Incident incident, IReadOnlyList<StoryEvent> events, RunbookDefinition? runbook)
    {
        Incident = incident;
        Events = events;
        Runbook = runbook;
    }

    public Incident Incident { get; }

    /// <summary>The incident's runbook, whose catalogue names its causes and fixes; null: codes are shown as they are.</summary>
    public RunbookDefinition? Runbook { get; }

    /// <summary>Every row with its typed event, in order.</summary>
    public IReadOnlyList<StoryEvent> Events { get; }

    public DiagnosisRequestedEvent? Requested { get; private set; }

    public IReadOnlyList<DiagnosisRun> Runs => _runs;

    public IReadOnlyList<StoryFix> Fixes => _fixes;

    /// <summary>Every recovery line and outcome, in order (the recovery evidence).</summary>
    public IReadOnlyList<(DateTimeOffset At, RecoveryEvent Event)> Recoveries => _recoveries;

    /// <summary>The incident's closing (or the last "still open" after a fix).</summary>
    public ResolutionEvent? Resolution { get; private set; }

    public DateTimeOffset? ResolvedAt { get; private set; }

    public bool Closed => Resolution?.Closed == true;

    public IReadOnlyList<string> Interruptions => _interruptions;

    public IReadOnlyList<string> Errors => _errors;

    private readonly List<DiagnosisRun> _runs = [];
    private readonly List<StoryFix> _fixes = [];
    private readonly List<(DateTimeOffset, RecoveryEvent)> _recoveries = [];
    private readonly List<string> _interruptions = [];
    private readonly List<string> _errors = [];

    public DiagnosisRun? InitialRun => _runs.Count > 0 ? _runs[0] : null;

    /// <summary>The latest run that reached a verdict.</summary>
    public DiagnosisRun? LatestVerdictRun => _runs.LastOrDefault(r => r.Verdict is not null);

    /// <summary>
    /// What the incident was about: every root cause any run found (healthy excepted), first seen first, with its
    /// evidence from the run that first found it and the fixes that removed it. The last, healthy run is not one.
    /// </summary>
    public IReadOnlyList<StoryRootCause> RootCauses
    {
        get
        {
            var seen = new List<StoryRootCause>();
            foreach (var run in _runs)
            {
                foreach (var c in run.Verdict?.RootCauses ?? [])
                {
                    if (!Diagnosis.RootCause.IsHealthyCode(c.Code) && seen.All(s => s.Cause.Code != c.Code))
                    {
                        var fixedBy = _fixes.Where(f => f.RootCause == c.Code && f.Outcome is FixOutcome.Effective or FixOutcome.Applied).ToList();

                        // A reboot "for" one cause often clears the others the same run saw (the reference case): count
                        // it for every cause that the diagnosis after it no longer shows, when no fix of its own did.
                        if (fixedBy.Count == 0)
                        {
                            fixedBy = _fixes.Where(f => f.Outcome == FixOutcome.Effective && f.NextVerdict is { } v && !v.Codes.Contains(c.Code) && f.ExecutionStartedAt > run.StartedAt).Take(1).ToList();
                        }

                        seen.Add(new StoryRootCause(c, run.Number, fixedBy));
                    }
                }
            }

            return seen;
        }
    }

    /// <summary>True when the story ended with no fault found (only healthy verdicts and no fix).</summary>
    public bool NoFaultFound => Resolution?.Outcome == ResolutionEvent.NoFaultFound || (_runs.Count > 0 && _runs.All(r => r.Verdict is null || r.Healthy) && _runs.Any(r => r.Healthy) && _fixes.Count == 0);

    /// <summary>Opened until the first run's verdict.</summary>
    public TimeSpan? TimeToDiagnose => InitialRun?.VerdictAt - Incident.CreatedAt;

    /// <summary>Waiting for approvals, summed over the fixes that got them.</summary>
    public TimeSpan? TimeToApprove
    {
        get
        {
            var approved = _fixes.Where(f => f.ApprovedAt is not null).ToList();
            return approved.Count == 0 ? null : approved.Aggregate(TimeSpan.Zero, (t, f) => t + (f.ApprovedAt!.Value - f.RequestedAt));
        }
    }

    /// <summary>From the first fix sent to the first healthy diagnosis after it (reboot downtime included).</summary>
    public TimeSpan? TimeToRecover
    {
        get
        {
            var first = _fixes.Where(f => f.ExecutionStartedAt is not null).Select(f => f.ExecutionStartedAt!.Value).DefaultIfEmpty().Min();
            var healthy = _runs.FirstOrDefault(r => r.Healthy && r.StartedAt >= first)?.VerdictAt;
            return first == default || healthy is null ? null : healthy - first;
        }
    }

    /// <summary>Opened until closed.</summary>
    public TimeSpan? TimeToResolve => Closed ? ResolvedAt - Incident.CreatedAt : null;

    /// <summary>The output of a step: of run <paramref name="run"/> when given, else of the latest run that has it.</summary>
    public StoryStep? Step(string stepId, int? run = null) =>
        _runs.Where(r => run is null || r.Number == run).SelectMany(r => r.Steps).LastOrDefault(s => string.Equals(s.Result.StepId, stepId, StringComparison.Ordinal));

    /// <summary>The plan the latest verdict offers under <paramref name="planId"/>, with that verdict's time and root causes.</summary>
    public (VerdictPlan Plan, DateTimeOffset At, IReadOnlyList<string> Codes)? LatestPlan(string planId)
    {
        var run = LatestVerdictRun;
        return run?.Verdict?.Remediations.FirstOrDefault(p => p.Id == planId) is { } p ? (p, run.VerdictAt!.Value, run.Verdict.Codes) : null;
    }

    /// <summary>The fixes that worked, in the order they ran.</summary>
    public IReadOnlyList<StoryFix> EffectiveFixes => _fixes.Where(f => f.Outcome == FixOutcome.Effective).OrderBy(f => f.ExecutionStartedAt).ToList();

    /// <summary>
    /// One line of the whole story for the top of the resolved card and the thread:
    /// "Resolved in 4 min 51 s: listener stuck on 64443 and no return route; fixed by default route (bob) and reboot (bob, carol)".
    /// </summary>
    public string? Headline()
    {
        if (!Closed || TimeToResolve is not { } took)
        {
            return null;
        }

        if (NoFaultFound)
        {
            return $"No fault found in {Duration(took)}: the switch is healthy; check {Join(RootCauseCatalogue.NoFaultNextChecks(Runbook).Select(c => c.Split(" (")[0]).ToList())}";
        }

        var causes = RootCauses.Select(c => RootCauseCatalogue.Phrase(Runbook, c.Cause.Code, _runs.First(r => r.Number == c.FirstRun).Facts)).ToList();
        var fixes = EffectiveFixes.Select(f => f.Approvals.Count == 0 ? f.Name : $"{f.Name} ({string.Join(", ", f.Approvals.Select(a => a.Approver))})").ToList();
        var line = $"Resolved in {Duration(took)}";
        if (causes.Count > 0)
        {
            line += ": " + Join(causes);
        }

        if (fixes.Count > 0)
        {
            line += "; fixed by " + Join(fixes);
        }

        return line;
    }

    /// <summary>"4 min 51 s", "38 s", "1 h 2 min".</summary>
    public static string Duration(TimeSpan t)
    {
        var inv = CultureInfo.InvariantCulture;
        if (t < TimeSpan.FromMinutes(1))
        {
            return string.Create(inv, $"{Math.Max(0, (int)Math.Round(t.TotalSeconds))} s");
        }

        if (t < TimeSpan.FromHours(1))
        {
            return string.Create(inv, $"{(int)t.TotalMinutes} min {t.Seconds} s");
        }

        return string.Create(inv, $"{(int)t.TotalHours} h {t.Minutes} min");
    }

    private static string Join(List<string> parts) =>
        parts.Count <= 1 ? string.Concat(parts) : string.Join(", ", parts.Take(parts.Count - 1)) + " and " + parts[^1];

    /// <param name="runbook">The incident's runbook (<see cref="RunbookRegistry.Find"/> of its <see cref="Incident.RunbookId"/>): its catalogue names causes and fixes in headlines.</param>
    public static IncidentStory Build(Incident incident, IReadOnlyList<TimelineEvent> timeline, RunbookDefinition? runbook)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(timeline);
        var events = timeline.Select(row => new StoryEvent(row, IncidentEvents.Read(row))).ToList();
        var story = new IncidentStory(incident, events, runbook);
        foreach (var e in events)
        {
            story.Apply(e.Row, e.Event);
        }

        return story;
    }

    private DiagnosisRun CurrentRun(DateTimeOffset at)
    {
        if (_runs.Count == 0)
        {
            _runs.Add(new DiagnosisRun(1, DiagnosisRun.Initial, null, Incident.CreatedAt <= at ? Incident.CreatedAt : at));
        }

        return _runs[^1];
    }

    private StoryFix? FixOf(string? requestId, string planId) =>
        (requestId is null ? null : _fixes.LastOrDefault(f => f.RequestId == requestId))
        ?? _fixes.LastOrDefault(f => f.PlanId == planId && f.Execution is null && f.RejectedBy is null && f.CancelReason is null);

    private void Apply(TimelineEvent row, IncidentEvent e)
    {
        switch (e)
        {
            case DiagnosisRequestedEvent r:
                Requested = r;
                break;
            case RediagnosisStartedEvent r:
                var reason = r.Reason;
                var after = r.RequestId;
                if (reason.Length == 0)
                {
                    // A legacy row does not say why: after a finished fix it is the re-diagnosis, else the re-check of the approved one.
                    var done = _fixes.LastOrDefault(f => f.ExecutionFinishedAt is not null && f.ExecutionFinishedAt > (_runs.Count > 0 ? _runs[^1].StartedAt : DateTimeOffset.MinValue) && f.Execution?.Aborted != true);
                    var approved = _fixes.LastOrDefault(f => f.ApprovedAt is not null && f.Execution is null);
                    (reason, after) = done is not null ? (RediagnosisStartedEvent.AfterFix, done.RequestId) : (RediagnosisStartedEvent.Recheck, approved?.RequestId);
                }

                _runs.Add(new DiagnosisRun(_runs.Count + 1, reason, after, row.At));
                break;
            case StepStartedEvent:
                CurrentRun(row.At);
                break;
            case StepFinishedEvent s:
                var run = CurrentRun(row.At);
                run.Steps.Add(new StoryStep(run.Number, row.Sequence, row.At, s));
                break;
            case VerdictEvent v:
                var vr = CurrentRun(row.At);
                vr.Verdict = v;
                vr.VerdictAt = row.At;
                vr.VerdictSequence = row.Sequence;
                foreach (var f in _fixes.Where(f => f.ExecutionFinishedAt is not null && f.NextVerdict is null && f.Execution?.Aborted != true))
                {
                    f.NextVerdict = v;
                }

                break;
            case FixRequestedEvent r:
                var plan = _runs.LastOrDefault(x => x.Verdict is not null)?.Verdict?.Remediations.FirstOrDefault(p => p.Id == r.PlanId)
                    ?? _runs.Select(x => x.Verdict).OfType<VerdictEvent>().SelectMany(x => x.Remediations).LastOrDefault(p => p.Id == r.PlanId);
                _fixes.Add(new StoryFix(r, row.At, plan, Runbook));
                break;
            case ApprovalEvent a when FixOf(a.RequestId, a.PlanId) is { } fix:
                if (fix.Approvals.All(x => x.Approver != a.Approver))
                {
                    fix.Approvals.Add(new StoryApproval(a.Approver, row.At));
                }

                if (a.Complete)
                {
                    fix.ApprovedAt ??= row.At;
                }

                break;
            case RejectionEvent r when FixOf(r.RequestId, r.PlanId) is { } fix:
                fix.RejectedBy = r.RejectedBy;
                fix.ClosedAt = row.At;
                break;
            case FixCancelledEvent c when FixOf(c.RequestId, c.PlanId) is { } fix:
                fix.CancelReason = c.Reason;
                fix.ClosedAt = row.At;
                break;
            case FixExpiredEvent x when _fixes.LastOrDefault(f => f.RequestId == x.RequestId) is { } fix:
                fix.Expired = true;
                fix.ClosedAt = row.At;
                break;
            case ExecutionStartedEvent x when FixOf(x.RequestId, x.PlanId) is { } fix:
                fix.ExecutionStartedAt = row.At;
                fix.ApprovedAt ??= row.At;
                break;
            case ExecutionFinishedEvent x when (FixOf(x.RequestId, x.PlanId) ?? _fixes.LastOrDefault(f => f.PlanId == x.PlanId && f.ExecutionStartedAt is not null)) is { } fix:
                fix.Execution = x;
                fix.ExecutionFinishedAt = row.At;
                break;
            case RecoveryEvent r:
                _recoveries.Add((row.At, r));
                if (r.CameBack is not null && _fixes.LastOrDefault(f => f.IsReboot && f.ExecutionStartedAt is not null) is { } rebooted)
                {
                    rebooted.Recovery = r;
                    rebooted.RecoveredAt = row.At;
                }

                break;
            case InterruptionEvent i:
                _interruptions.Add(row.Summary);
                if (i.RequestId is { } cut && _fixes.LastOrDefault(f => f.RequestId == cut) is { } interrupted)
                {
                    interrupted.Interrupted = true;
                }

                break;
            case ErrorEvent err:
                _errors.Add(err.Message);
                break;
            case ResolutionEvent res:
                Resolution = res;
                ResolvedAt = res.Closed ? row.At : null;
                break;
        }
    }
}
