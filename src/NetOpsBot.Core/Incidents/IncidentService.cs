using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Core.Runbooks;
using NetOpsBot.Core.Security;

namespace NetOpsBot.Core.Incidents;

public sealed record IncidentServiceOptions
{
    /// <summary>This host instance; leases carry it so replicas can tell whose running incident is alive.</summary>
    public required string InstanceId { get; init; }

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Opens a logging scope carrying the incident id, so every log line of a run names its incident.</summary>
    public Func<IncidentId, IDisposable?>? LogScope { get; init; }

    /// <summary>Diagnoses this instance runs at once; one more is refused at once instead of queuing for channels.</summary>
    public int MaxConcurrentDiagnoses { get; init; } = 100;

    /// <summary>Diagnoses of one device at once (VRP has few VTY lines; a second run only repeats the first).</summary>
    public int MaxDiagnosesPerDevice { get; init; } = 1;
}

/// <summary>
/// A diagnosis was not started because a limit is reached; <see cref="Exception.Message"/> is the answer for the
/// channel. <see cref="Running"/> names the device's running incident when that was the limit.
/// </summary>
public sealed class DiagnosisLimitException : Exception
{
    public DiagnosisLimitException()
    {
    }

    public DiagnosisLimitException(string message)
        : base(message)
    {
    }

    public DiagnosisLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DiagnosisLimitException(string message, IncidentId? running)
        : base(message)
    {
        Running = running;
    }

    public IncidentId? Running { get; }
}

/// <summary>What opened an incident when it was not a person typing: the Requested event's line and the alert behind it.</summary>
public sealed record RequestOrigin(string Summary, AlertOrigin? Alert);

/// <summary>
/// Opens an incident per request, runs the diagnosis in the background and puts every event on the
/// incident's append-only timeline before telling the chat surfaces, so a reload or a restart shows
/// exactly what was stored.
/// </summary>
public sealed partial class IncidentService : IAsyncDisposable
{
    private readonly IIncidentStore _store;
    private readonly IDiagnosisRunner _runner;
    private readonly IIncidentNotifier _notifier;
    private readonly Chat.ThreadLineComposer _threadLines;
    private readonly TimeProvider _time;
    private readonly IncidentServiceOptions _options;
    private readonly ConcurrentDictionary<IncidentId, Task> _running = new();
    private readonly ConcurrentDictionary<IncidentId, int> _activities = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly BackgroundJobs _jobs;
    private readonly BackgroundJobs? _ownJobs;
    private int _disposed;

    // Admissions (diagnoses starting or running), by device and by request key, under _admissionsLock.
    private readonly Lock _admissionsLock = new();
    private readonly Dictionary<DeviceName, List<Admission>> _byDevice = [];
    private readonly Dictionary<string, Admission> _byRequest = new(StringComparer.Ordinal);
    private int _admitted;

    private readonly RunbookRegistry? _runbooks;

    /// <param name="runner">Runs an incident whose runbook has no implementation for the device's platform in <paramref name="runbooks"/>.</param>
    /// <param name="runbooks">The runbooks by id and platform: an incident runs (and re-runs) the one it names.</param>
    /// <param name="jobs">Where runs start (its long lane); null: a lane of this service's own (tests, the CLI).</param>
    public IncidentService(IIncidentStore store, IDiagnosisRunner runner, IIncidentNotifier notifier, TimeProvider time, IncidentServiceOptions options, RunbookRegistry? runbooks = null, BackgroundJobs? jobs = null)
    {
        _jobs = jobs ?? (_ownJobs = new BackgroundJobs(1, static (_, _) => { }));
        _store = store;
        _runner = runner;
        _runbooks = runbooks;
        _notifier = notifier;
        _time = time;
        _options = options;
        _threadLines = new Chat.ThreadLineComposer(store);
    }

    public IReadOnlyList<StepDescriptor> Steps => _runner.Steps;

    /// <summary>The runbooks this service runs; null when it was built with a single runner.</summary>
    public RunbookRegistry? Runbooks => _runbooks;

    /// <summary>The runner of the incident's runbook on the device's platform (issue 16: a re-run picks the same runbook).</summary>
    private IDiagnosisRunner RunnerFor(Incident incident, DeviceRef device) =>
        _runbooks?.For(incident.RunbookId ?? _runbooks.Default.Id, device.Platform)?.Runner ?? _runner;

    /// <summary>The incident's runbook, whose catalogue names its causes; null when this service has no registry.</summary>
    internal RunbookDefinition? RunbookOf(Incident incident) => _runbooks?.FindOrDefault(incident.RunbookId);

    /// <summary>How a person starts the incident's runbook again ("/sshdiag").</summary>
    private string CommandOf(Incident incident) =>
        _runbooks is { } r ? (r.Find(incident.RunbookId) ?? r.Default).Command : "the diagnosis";

    /// <summary>Diagnoses whose background run has not finished (for tests and graceful shutdown).</summary>
    public IReadOnlyCollection<Task> Running => [.. _running.Values];

    /// <summary>
    /// Opens the incident and starts the run. The same <paramref name="requestKey"/> delivered twice
    /// returns the first incident and starts nothing (chat platforms retry deliveries).
    /// </summary>
    /// <exception cref="DiagnosisLimitException">The device already has its diagnoses running, or this instance runs its maximum.</exception>
    public Task<IncidentCreation> StartDiagnosisAsync(DeviceRef device, ChatUser requester, ChatChannel channel, string requestKey, CancellationToken cancellationToken) =>
        StartDiagnosisAsync(device, requester, channel, requestKey, origin: null, cancellationToken);

    /// <summary>
    /// The same, with the Requested event's line and data given by the caller (an alert: "opened by alert SSHDown from
    /// Alertmanager", with its labels and link); null: the person's "X asked to diagnose SSH on …".
    /// </summary>
    public Task<IncidentCreation> StartDiagnosisAsync(DeviceRef device, ChatUser requester, ChatChannel channel, string requestKey, RequestOrigin? origin, CancellationToken cancellationToken) =>
        StartDiagnosisAsync(device, runbookId: null, requester, channel, requestKey, origin, cancellationToken);

    /// <summary>The same for a named runbook (<see cref="RunbookDefinition.Id"/>); null: the registry's default.</summary>
    /// <exception cref="ArgumentException">The runbook is not registered.</exception>
    public async Task<IncidentCreation> StartDiagnosisAsync(DeviceRef device, string? runbookId, ChatUser requester, ChatChannel channel, string requestKey, RequestOrigin? origin, CancellationToken cancellationToken)
    {
        if (runbookId is not null && _runbooks is not null && _runbooks.Find(runbookId) is null)
        {
            throw new ArgumentException($"no runbook '{runbookId}' is registered", nameof(runbookId));
        }

        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(requester);
        var admission = await AdmitAsync(device.Name, requestKey, cancellationToken).ConfigureAwait(false);
        if (admission.Duplicate is not null)
        {
            return admission.Duplicate;
        }

        try
        {
            var creation = await StartAdmittedAsync(device, runbookId ?? _runbooks?.Default.Id, requester, channel, requestKey, origin, admission.Admission!, cancellationToken).ConfigureAwait(false);
            if (!creation.Created)
            {
                Release(admission.Admission!);
            }

            return creation;
        }
        catch
        {
            Release(admission.Admission!);
            throw;
        }
    }

    private async Task<(Admission? Admission, IncidentCreation? Duplicate)> AdmitAsync(DeviceName device, string requestKey, CancellationToken cancellationToken)
    {
        // A blocking admission still being stored has no incident id yet: wait for it (milliseconds), then
        // decide again if it did not start after all.
        for (var attempt = 0; ; attempt++)
        {
            Admission? blocking;
            lock (_admissionsLock)
            {
                if (_byRequest.TryGetValue(requestKey, out var retried))
                {
                    blocking = retried;
                }
                else if (_byDevice.TryGetValue(device, out var onDevice) && onDevice.Count >= _options.MaxDiagnosesPerDevice)
                {
                    blocking = onDevice[0];
                }
                else if (_admitted >= _options.MaxConcurrentDiagnoses)
                {
                    throw new DiagnosisLimitException($"{_admitted} diagnoses are running (limit {_options.MaxConcurrentDiagnoses}); try again in a minute.");
                }
                else
                {
                    var admitted = new Admission(device, requestKey);
                    _byRequest[requestKey] = admitted;
                    if (!_byDevice.TryGetValue(device, out var list))
                    {
                        _byDevice[device] = list = [];
                    }

                    list.Add(admitted);
                    _admitted++;
                    return (admitted, null);
                }
            }

            var id = await blocking.Incident.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (id is null && attempt < 3)
            {
                continue;
            }

            if (id is { } same && string.Equals(blocking.RequestKey, requestKey, StringComparison.Ordinal)
                && await _store.GetAsync(same, cancellationToken).ConfigureAwait(false) is { } incident)
            {
                // A retried delivery of the request that is running: the same answer as the store's deduplication.
                return (null, new IncidentCreation(incident, Created: false));
            }

            throw new DiagnosisLimitException(
                id is { } runningId ? $"{device.Value} already has a diagnosis running: {runningId.Value}" : $"{device.Value} already has a diagnosis starting; try again in a minute.",
                id);
        }
    }

    private void Release(Admission admission)
    {
        lock (_admissionsLock)
        {
            if (_byRequest.TryGetValue(admission.RequestKey, out var current) && ReferenceEquals(current, admission))
            {
                _byRequest.Remove(admission.RequestKey);
            }

            if (_byDevice.TryGetValue(admission.Device, out var list) && list.Remove(admission))
            {
                _admitted--;
                if (list.Count == 0)
                {
                    _byDevice.Remove(admission.Device);
                }
            }
        }

        admission.Incident.TrySetResult(null);
    }

    /// <summary>A diagnosis admitted past the limits; <see cref="Incident"/> completes with its id once stored (null if it never started).</summary>
    private sealed class Admission(DeviceName device, string requestKey)
    {
        public DeviceName Device { get; } = device;

        public string RequestKey { get; } = requestKey;

        public TaskCompletionSource<IncidentId?> Incident { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }


    private async Task<IncidentCreation> StartAdmittedAsync(DeviceRef device, string? runbookId, ChatUser requester, ChatChannel channel, string requestKey, RequestOrigin? origin, Admission admission, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();

        // Stored already running and leased to this instance: one write on the chat's request path, and a
        // host that dies right after it leaves an incident the restart sweep can see.
        var incident = Incident.Open(device.Name, requester, channel, now) with
        {
            State = IncidentState.Running,
            RunbookId = runbookId,
            OwnerInstance = _options.InstanceId,
            LeaseUntil = now + _options.LeaseDuration,
        };
        var requested = IncidentEvents.Draft(
            new DiagnosisRequestedEvent(device.Name.Value, requester.DisplayName) { Alert = origin?.Alert },
            requester.ToString(),
            origin?.Summary ?? $"{requester.DisplayName} asked to diagnose SSH on {device.Name.Value}",
            now);
        var creation = await _store.CreateAsync(incident, requested, requestKey, cancellationToken).ConfigureAwait(false);
        if (!creation.Created)
        {
            return creation;
        }

        incident = creation.Incident;
        var first = creation.Requested ?? (await _store.TimelineAsync(incident.Id, 0, cancellationToken).ConfigureAwait(false))[0];

        // The chat's answer waits for the stored incident only; drawing the first card is part of the run,
        // and comes before its first step so that no surface sees a step of a card it has not drawn.
        var opened = incident;
        var run = _jobs.Start(
            $"diagnosis of {incident.Id.Value} on {device.Name.Value}",
            async stopping =>
            {
                await NotifySafeAsync(new IncidentNotification(opened, first) { Steps = RunnerFor(opened, device).Steps }).ConfigureAwait(false);
                await RunAsync(opened, device, stopping).ConfigureAwait(false);
            });
        _running[incident.Id] = run;
        admission.Incident.TrySetResult(incident.Id);
        _ = run.ContinueWith(
            _ =>
            {
                _running.TryRemove(incident.Id, out Task? _);
                Release(admission);
            },
            TaskScheduler.Default);
        return creation with { Incident = incident };
    }

    /// <summary>Marks incidents left running by a dead or expired host as interrupted, with a line in their thread.</summary>
    public async Task<IReadOnlyList<IncidentId>> RecoverInterruptedAsync(IReadOnlyCollection<string> deadOwners, CancellationToken cancellationToken, DateTimeOffset? leaseExpiredBefore = null)
    {
        var sweep = new InterruptionSweep
        {
            DeadOwners = deadOwners,
            LeaseExpiredBefore = leaseExpiredBefore ?? _time.GetUtcNow(),
            OwnerAlive = (id, owner) => string.Equals(owner, _options.InstanceId, StringComparison.Ordinal) && OwnsLiveActivity(id),
        };
        var ids = await _store.MarkInterruptedAsync(sweep, cancellationToken).ConfigureAwait(false);
        foreach (var id in ids)
        {
            var incident = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
            var timeline = await _store.TimelineAsync(id, 0, cancellationToken).ConfigureAwait(false);
            if (incident is not null && timeline.Count > 0 && timeline[^1] is var last)
            {
                await NotifySafeAsync(new IncidentNotification(incident, last)).ConfigureAwait(false);
            }
        }

        return ids;
    }

    private async Task RunAsync(Incident incident, DeviceRef device, CancellationToken stopping)
    {
        BackgroundWork.Enter();
        using var scope = _options.LogScope?.Invoke(incident.Id);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token, stopping);
        var token = stop.Token;
        using var lease = HoldLease(incident.Id);
        try
        {
            var report = await RunWithTimelineAsync(incident, device, token).ConfigureAwait(false);
            await FinishAsync(incident, report).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            var stopped = $"Interrupted: the bot is shutting down; run {CommandOf(incident)} again";
            await AppendAndNotifyAsync(incident, new InterruptionEvent(stopped), "netopsbot", stopped, CancellationToken.None).ConfigureAwait(false);
            await _store.UpdateStateAsync(incident.Id, new StateTransition(IncidentState.Running, IncidentState.Interrupted) { ReleaseLease = true }, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a background run must end in a stored state whatever failed
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await AppendAndNotifyAsync(incident, new ErrorEvent(OneLine(ex.Message)), "netopsbot", "Diagnosis failed: " + OneLine(ex.Message), CancellationToken.None).ConfigureAwait(false);
            await _store.UpdateStateAsync(incident.Id, new StateTransition(IncidentState.Running, IncidentState.Failed) { ReleaseLease = true }, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs the runbook again on an existing incident (after a remediation), appending its steps and
    /// verdict to the same timeline; the caller decides the incident's state from the report. <paramref name="reason"/> is
    /// <see cref="RediagnosisStartedEvent.Recheck"/> or <see cref="RediagnosisStartedEvent.AfterFix"/>, of <paramref name="requestId"/>.
    /// </summary>
    public async Task<DiagnosisReport> RediagnoseAsync(Incident incident, DeviceRef device, CancellationToken cancellationToken, string reason = RediagnosisStartedEvent.AfterFix, string? requestId = null)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(device);
        await AppendAndNotifyAsync(incident, new RediagnosisStartedEvent(device.Name.Value, reason, requestId), "netopsbot", $"Re-running the diagnosis on {device.Name.Value}", CancellationToken.None).ConfigureAwait(false);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        var report = await RunWithTimelineAsync(incident, device, linked.Token).ConfigureAwait(false);
        await AppendVerdictAsync(incident with { RootCauseCodes = report.RootCauseCodes }, report).ConfigureAwait(false);
        return report;
    }

    private async Task<DiagnosisReport> RunWithTimelineAsync(Incident incident, DeviceRef device, CancellationToken token)
    {
        var events = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
        var observer = new Observer(this, incident, events.Writer);
        // Observer callbacks are synchronous; a single reader keeps timeline order = step order. It is part of this
        // run (awaited below), not background work of its own.
        var pump = PumpAsync(events.Reader);
        try
        {
            return await RunnerFor(incident, device).RunAsync(device, observer, token).ConfigureAwait(false);
        }
        finally
        {
            events.Writer.TryComplete();
            await pump.ConfigureAwait(false);
        }
    }

    private static async Task PumpAsync(ChannelReader<Func<Task>> events)
    {
        await foreach (var work in events.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            await work().ConfigureAwait(false);
        }
    }

    /// <summary>A lease for an activity this instance is about to own (goes with the transition into a leased state).</summary>
    public IncidentLease NewLease() => new(_options.InstanceId, _time.GetUtcNow() + _options.LeaseDuration);

    /// <summary>
    /// Holds the incident's lease for one activity of this instance (diagnosis, execution, recovery watch,
    /// re-diagnosis) until disposed: renews it on time and vouches for it to this instance's sweep.
    /// <paramref name="alsoRenew"/> extends other leases of the same work (an execution's claim) on the same ticks.
    /// </summary>
    public LeaseKeeper HoldLease(IncidentId id, Func<DateTimeOffset, Task>? alsoRenew = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        _activities.AddOrUpdate(id, 1, (_, n) => n + 1);
        return LeaseKeeper.Start(
            _time,
            _options.LeaseDuration,
            async until =>
            {
                await _store.RenewLeaseAsync(id, new IncidentLease(_options.InstanceId, until), CancellationToken.None).ConfigureAwait(false);
                if (alsoRenew is not null)
                {
                    await alsoRenew(until).ConfigureAwait(false);
                }
            },
            () =>
            {
                if (_activities.AddOrUpdate(id, 0, (_, n) => n - 1) <= 0)
                {
                    _activities.TryRemove(new KeyValuePair<IncidentId, int>(id, 0));
                }
            });
    }

    /// <summary>True while this instance runs an activity of the incident (its lease is held by a live owner).</summary>
    public bool OwnsLiveActivity(IncidentId id) => _activities.TryGetValue(id, out var n) && n > 0;

    private async Task FinishAsync(Incident incident, DiagnosisReport report)
    {
        var codes = report.RootCauseCodes;
        var verdict = VerdictEvent.From(report);

        // Nothing wrong on the switch: an open incident would wait for a fix nobody can offer. It closes as "no fault
        // found" and says where the problem is more likely to be.
        var state = verdict.Healthy ? IncidentState.Resolved : IncidentState.Diagnosed;
        await AppendVerdictAsync(incident with { State = state, RootCauseCodes = codes }, report).ConfigureAwait(false);
        var transition = new StateTransition(IncidentState.Running, state) { ReleaseLease = true, RootCauseCodes = codes };
        if (verdict.Healthy)
        {
            var checks = RootCauseCatalogue.NoFaultNextChecks(RunbookOf(incident));
            var took = IncidentStory.Duration(_time.GetUtcNow() - incident.CreatedAt);
            var headline = $"No fault found in {took}: {incident.Device.Value} answers SSH and has a route back; check next: {string.Join("; ", checks)}";
            await TransitionWithEventsAsync(incident, transition, [new(new ResolutionEvent(ResolutionEvent.NoFaultFound, []) { NextChecks = checks, Headline = headline }, "netopsbot", headline)], CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            await _store.UpdateStateAsync(incident.Id, transition, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task AppendVerdictAsync(Incident incident, DiagnosisReport report)
    {
        var codes = report.RootCauseCodes;
        var summary = "Verdict: " + string.Join(" + ", report.RootCauses.Select(r => r.Cause.Code)) + (codes.Count == 0 ? "no root cause found" : string.Empty);
        await AppendAndNotifyAsync(incident, VerdictEvent.From(report), "netopsbot", summary, CancellationToken.None, report).ConfigureAwait(false);
        foreach (var plan in report.Remediations)
        {
            var approvals = plan.RequiresApproval ? $" (needs {plan.ApproversRequired} approver{(plan.ApproversRequired == 1 ? string.Empty : "s")})" : string.Empty;
            await AppendAndNotifyAsync(incident, new FixOfferedEvent(plan.Id, plan.Title, plan.Kind.ToString(), plan.Commands.Select(c => c.Text).ToList()), "netopsbot", $"Offered: {plan.Title}{approvals}", CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Appends a typed event to an incident's timeline and tells the chat surfaces (used by the remediation flow).</summary>
    public Task AppendAsync(Incident incident, IncidentEvent e, string actor, string summary, CancellationToken cancellationToken) =>
        AppendAndNotifyAsync(incident, e, actor, summary, cancellationToken);

    private async Task AppendAndNotifyAsync(Incident incident, IncidentEvent typed, string actor, string summary, CancellationToken ct, DiagnosisReport? report = null, StepResult? step = null)
    {
        var e = await _store.AppendAsync(incident.Id, IncidentEvents.Draft(typed, actor, OneLine(summary), _time.GetUtcNow()), ct).ConfigureAwait(false);
        await NotifySafeAsync(new IncidentNotification(incident, e) { Report = report, Step = step }).ConfigureAwait(false);
    }

    private async Task NotifySafeAsync(IncidentNotification notification)
    {
        try
        {
            notification = notification with { ThreadText = await _threadLines.LineForAsync(notification.Event, CancellationToken.None).ConfigureAwait(false) };
        }
#pragma warning disable CA1031 // without the thread rules (store unreadable) the surfaces still get the event's own summary
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        try
        {
            await _notifier.NotifyAsync(notification, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // the timeline is already stored; a chat surface being down must not stop the run
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length > TimelineEventDraft.MaxSummaryLength ? line[..(TimelineEventDraft.MaxSummaryLength - 1)] + "…" : line;
    }

    /// <summary>
    /// The host is stopping (SIGTERM): running diagnoses stop and record "Interrupted: the bot is shutting down" while
    /// storage is still there. Called before the service container is disposed; a run that does not end within
    /// <paramref name="grace"/> is left to the next start's sweep, which records it from its lease.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (!_shutdown.IsCancellationRequested)
        {
            await _shutdown.CancelAsync().ConfigureAwait(false);
        }

        await StopWork.WaitAsync(_running.Values, grace).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        if (_ownJobs is not null)
        {
            await _ownJobs.DisposeAsync().ConfigureAwait(false);
        }

        if (_running.IsEmpty)
        {
            _shutdown.Dispose();
        }
    }

    private sealed class Observer(IncidentService service, Incident incident, ChannelWriter<Func<Task>> writer) : IDiagnosisObserver
    {
        public void StepStarted(string stepId, string title) =>
            writer.TryWrite(() => service.AppendAndNotifyAsync(incident, new StepStartedEvent(stepId, title), "netopsbot", $"{title}: started", CancellationToken.None));

        public void StepFinished(StepResult result) =>
            writer.TryWrite(() => service.AppendAndNotifyAsync(
                incident,
                StepFinishedEvent.From(result),
                "netopsbot",
                $"{result.Title}: {result.Status} - {result.Finding}",
                CancellationToken.None,
                step: result));
    }
}

/// <summary>
/// A step as stored on the timeline before typed events (version 0), kept for tools and tests that write such rows;
/// readers use <see cref="StepFinishedEvent"/>. Device text is redacted again when a row is read back.
/// </summary>
public sealed record StepData(string StepId, string Title, string Status, string Finding, IReadOnlyList<string> Evidence, IReadOnlyList<string> Commands, string RawOutput, double DurationMs)
{
    public string Finding { get; init; } = DeviceOutputRedactor.Redact(Finding);

    public IReadOnlyList<string> Evidence { get; init; } = DeviceOutputRedactor.Redact(Evidence);

    public string RawOutput { get; init; } = DeviceOutputRedactor.Redact(RawOutput);

    public static StepData From(StepResult r) => new(r.StepId, r.Title, r.Status.ToString(), r.Finding, r.Evidence, r.Commands, r.RawOutput, r.Duration.TotalMilliseconds);
}

/// <summary>The verdict as stored before typed events (version 0); readers use <see cref="VerdictEvent"/>.</summary>
public sealed record VerdictData(IReadOnlyList<VerdictCause> RootCauses, IReadOnlyList<VerdictPlan> Remediations)
{
    public static VerdictData From(DiagnosisReport report) => new(
        report.RootCauses.Select(r => new VerdictCause(r.Cause.Code, r.Cause.Title, r.Cause.Explanation, r.RuleId, r.Confidence.ToString(), r.Evidence)).ToList(),
        report.Remediations.Select(p => new VerdictPlan(p.Id, p.RootCause.Code, p.Title, p.Kind.ToString(), p.Commands.Select(c => c.Text).ToList(), p.RequiresApproval, p.ApproversRequired, p.Notes)).ToList());
}

public sealed record VerdictCause(string Code, string Title, string Explanation, string RuleId, string Confidence, IReadOnlyList<string> Evidence)
{
    /// <summary>
    /// The finding's key evidence (<see cref="RootCauseFinding.KeyEvidence"/>). Optional in the stored JSON: rows written
    /// before it existed, or by a rule stating none, have no such field and read as null (cards then quote the evidence).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? KeyEvidence { get; init; }

    /// <summary>A finding as stored with a verdict; no key evidence is written as no field at all.</summary>
    public static VerdictCause From(RootCauseFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return new(finding.Cause.Code, finding.Cause.Title, finding.Cause.Explanation, finding.RuleId, finding.Confidence.ToString(), finding.Evidence)
        {
            KeyEvidence = finding.KeyEvidence.Count == 0 ? null : DeviceOutputRedactor.Redact(finding.KeyEvidence),
        };
    }
}

public sealed record VerdictPlan(string Id, string RootCause, string Title, string Kind, IReadOnlyList<string> Commands, bool RequiresApproval, int ApproversRequired, IReadOnlyList<string> Notes)
{
    /// <summary>The stored plan as a plan again (for a redrawn card or an approval request).</summary>
    public RemediationPlan ToPlan()
    {
        var kind = Enum.Parse<RemediationKind>(Kind);
        var cause = Diagnosis.RootCause.OfStoredCode(RootCause);
        return new RemediationPlan(Id, cause, Title, Commands.Select(Bind).ToList(), kind, ApprovalPolicy.For(kind, Math.Max(1, ApproversRequired))) { Notes = Notes };
    }

    /// <summary>
    /// Stored commands were rendered from typed, validated templates when the verdict was made; they
    /// are re-bound as literal templates (no parameters), so nothing can be substituted into them now.
    /// </summary>
    public static BoundCommand Bind(string text) =>
        CommandTemplate.Parse(text.Replace("{", "(", StringComparison.Ordinal).Replace("}", ")", StringComparison.Ordinal)).Render();
}
