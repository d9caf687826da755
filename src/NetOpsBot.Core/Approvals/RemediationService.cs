using System.Text.Json;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Core.Approvals;


/// <summary>
/// Turns card clicks into durable remediation requests, approvals and at-most-once executions.
/// Every decision lands in the audit (by the store) and on the incident timeline (here).
/// </summary>
public sealed partial class RemediationService
{
    private readonly IRemediationRequestStore _requests;
    private readonly IIncidentStore _incidents;
    private readonly IDeviceInventory _inventory;
    private readonly IncidentService _incidentService;
    private readonly IRemediationExecutor _executor;
    private readonly IPeopleDirectory _people;
    private readonly ApprovalOptions _options;
    private readonly ExecutionOptions _execution;
    private readonly TimeProvider _time;
    private readonly string _instance;
    private readonly List<Task> _background = [];

    public RemediationService(
        IRemediationRequestStore requests,
        IIncidentStore incidents,
        IDeviceInventory inventory,
        IncidentService incidentService,
        IRemediationExecutor executor,
        ApprovalOptions options,
        ExecutionOptions execution,
        TimeProvider time,
        string instanceId,
        IPeopleDirectory people,
        BackgroundJobs? jobs = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(people);
        _requests = requests;
        _incidents = incidents;
        _inventory = inventory;
        _incidentService = incidentService;
        _executor = executor;
        _people = people;
        _options = options;
        _execution = execution with { SaveBeforeReboot = options.SaveBeforeReboot };
        _time = time;
        _instance = instanceId;
        _jobs = jobs ?? (_ownJobs = new BackgroundJobs(1, static (_, _) => { }));
    }

    /// <summary>Executions and recovery watches still running (tests wait on them).</summary>
    public IReadOnlyList<Task> Background
    {
        get
        {
            lock (_background)
            {
                return [.. _background];
            }
        }
    }

    /// <summary>
    /// "Request" on an offered plan: binds the exact commands and the diagnosis they came from. The button's
    /// <paramref name="shown"/> hash must match the commands the latest diagnosis offers, so a button left on an
    /// old card cannot request commands nobody is looking at.
    /// </summary>
    public async Task<ActionReply> RequestAsync(IncidentId incidentId, string planId, ClickTarget shown, ChatUser requester, ChatChannel channel, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(shown);
        var incident = await _incidents.GetAsync(incidentId, ct).ConfigureAwait(false);
        if (incident is null)
        {
            return ActionReply.Refused($"No incident {incidentId.Value}.");
        }

        if (await RefuseOtherConversationAsync(incident, requester, channel, ct).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        // A cheap early answer that spares the device a reboot-notes session; the store's unique index is what
        // guarantees one open request per fix when two clicks race (see CreateAsync below).
        var open = (await _requests.ListForIncidentAsync(incidentId, ct).ConfigureAwait(false))
            .FirstOrDefault(r => r.PlanId == planId && !r.IsFinal);
        if (open is not null)
        {
            return AlreadyOpen(open);
        }

        var (plan, diagnosisAt, codes) = await LatestPlanAsync(incident, planId, ct).ConfigureAwait(false);
        if (plan is null)
        {
            return ActionReply.Refused($"The latest diagnosis of {incidentId.Value} offers no fix '{planId}'.");
        }

        // A manual fix is steps for a person; there is nothing to approve or run (its card has no Request button).
        if (plan.Kind is not (RemediationKind.Config or RemediationKind.Reboot) || plan.Commands.Count == 0)
        {
            return ActionReply.Refused($"'{plan.Title}' is a manual fix: the bot has no commands to run for it, so it cannot be requested. Follow its steps on the card by hand.");
        }

        if (!string.Equals(shown.CommandsHash, ClickTarget.HashCommands(plan.Commands.Select(c => c.Text)), StringComparison.Ordinal))
        {
            return ActionReply.Refused($"The button you clicked does not show the commands the latest diagnosis of {incidentId.Value} offers for this fix (an old card?); nothing was requested. Refresh the card and check the commands again.");
        }

        var request = RemediationRequest.Create(incidentId, incident.Device, plan, codes, diagnosisAt, requester, channel, _time.GetUtcNow(), _options);
        var notes = plan.Kind == RemediationKind.Reboot ? await RebootNotesAsync(incident.Device, ct).ConfigureAwait(false) : [];
        var stored = await _requests.CreateAsync(request, ct).ConfigureAwait(false);
        if (stored.Id != request.Id)
        {
            return AlreadyOpen(stored);
        }

        var needs = request.ApproversRequired == 1 ? "1 approver" : $"{request.ApproversRequired} different approvers";
        var save = plan.Kind == RemediationKind.Reboot ? (_options.SaveBeforeReboot ? " The running configuration is saved first." : " The running configuration is NOT saved first: unsaved changes are lost.") : string.Empty;
        var line = $"{requester.DisplayName} requested {request.Id.Value}: {plan.Title} - needs {needs}, not the requester.{save}";
        await _incidentService.AppendAsync(incident, new FixRequestedEvent(request.Id.Value, planId, requester.DisplayName, request.Commands, notes) { ExpiresAt = request.ExpiresAt }, requester.ToString(), line, ct).ConfigureAwait(false);
        await _incidents.UpdateStateAsync(incidentId, new StateTransition(new HashSet<IncidentState> { IncidentState.Diagnosed, IncidentState.AwaitingApproval }, IncidentState.AwaitingApproval), ct).ConfigureAwait(false);
        return ActionReply.Done($"Requested {request.Id.Value}: {plan.Title}. Waiting for {needs}.", line);
    }

    private static ActionReply AlreadyOpen(RemediationRequest open) => ActionReply.Refused(
        $"{open.Id.Value} for this fix was already requested by {open.Requester.DisplayName} and is {open.State.ToString().ToLowerInvariant()}; no second request was made. Approve or reject {open.Id.Value} instead.");

    /// <summary>A fix is requested from the incident's own conversation only; elsewhere the refusal goes on its timeline.</summary>
    private async Task<ActionReply?> RefuseOtherConversationAsync(Incident incident, ChatUser requester, ChatChannel channel, CancellationToken ct)
    {
        if (ApprovalStateMachine.SameConversation(incident.Channel, channel))
        {
            return null;
        }

        var message = $"{requester.DisplayName}: {incident.Id.Value} was opened in its {incident.Channel.Platform} conversation, and fixes are requested and approved only there; this click from {channel.Platform} changes nothing.";
        await _incidentService.AppendAsync(incident, new RequestRefusedEvent("other-conversation", channel.Platform, channel.ChannelId), requester.ToString(), message, ct).ConfigureAwait(false);
        return ActionReply.Refused(message, toChannel: message);
    }

    /// <summary>What approvers of a reboot must see: whether the bot saves first, and the unsaved changes it saves or loses.</summary>
    private async Task<IReadOnlyList<string>> RebootNotesAsync(DeviceName deviceName, CancellationToken ct)
    {
        var device = await _inventory.FindAsync(deviceName, ct).ConfigureAwait(false);
        if (device is null)
        {
            return [];
        }

        IReadOnlyList<string> changes;
        try
        {
            changes = await _executor.UnsavedChangesAsync(device, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return [$"Could not compare the running and saved configuration ({ex.Message}); approvers should check it."];
        }

        if (changes.Count == 0)
        {
            return ["No unsaved changes: the running configuration equals the saved one."];
        }

        var head = _options.SaveBeforeReboot
            ? $"{changes.Count} unsaved change(s), saved before the reboot:"
            : $"{changes.Count} unsaved change(s), LOST by the reboot (not saved first):";
        return [head, .. changes.Take(20)];
    }

    /// <summary>
    /// An approve or reject click; membership is checked now, not when the request was made. The click acts on
    /// the request its button names, and only when the commands the button showed are that request's (refused
    /// and audited otherwise).
    /// </summary>
    public async Task<ActionReply> ClickAsync(IncidentId incidentId, string planId, ClickTarget target, ClickVerb verb, ChatUser clicker, ChatChannel channel, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!RemediationRequestId.TryParse(target.RequestId, out var requestId, out _) || target.CommandsHash is null)
        {
            return ActionReply.Refused("This button does not name the request and commands it acts on (an old card?); nothing changed. Refresh the card and click again.");
        }

        var request = await _requests.GetAsync(requestId, ct).ConfigureAwait(false);
        if (request is null || request.IncidentId != incidentId || !string.Equals(request.PlanId, planId, StringComparison.Ordinal))
        {
            return ActionReply.Refused($"There is no request {requestId.Value} for this fix of {incidentId.Value}; nothing changed.");
        }

        var now = _time.GetUtcNow();
        var click = await ClickContext.ResolveAsync(_people, clicker, channel, request.Requester, ct).ConfigureAwait(false);
        var decision = await _requests.TryRecordClickAsync(
            request.Id,
            channel,
            r => target.Matches(r)
                ? ApprovalStateMachine.Decide(r, verb, click, now)
                : new ClickDecision(ClickOutcome.RefusedMismatch, $"{clicker.DisplayName} clicked a button that shows other commands than {r.Id.Value} would run (an old or altered card); nothing changed. Refresh the card and check the commands.", r, verb, clicker),
            ct).ConfigureAwait(false);
        if (decision is null)
        {
            return ActionReply.Refused($"No request {request.Id.Value}.");
        }

        // A repeated or late click changes nothing: the clicker alone hears it (the store's audit keeps the click),
        // and the channel's thread does not get one line per click of a double-click storm.
        if (decision.ClickerOnly)
        {
            return ActionReply.ToClickerOnly(!decision.Refused, decision.Message);
        }

        var incident = await _incidents.GetAsync(incidentId, ct).ConfigureAwait(false);
        if (incident is not null)
        {
            IncidentEvent clicked = decision.Outcome switch
            {
                ClickOutcome.Accepted or ClickOutcome.ApprovedComplete => new ApprovalEvent(request.Id.Value, planId, clicker.DisplayName, decision.Outcome == ClickOutcome.ApprovedComplete),
                ClickOutcome.Rejected => new RejectionEvent(request.Id.Value, planId, clicker.DisplayName),

                // The requester's withdrawal is a cancellation with its reason; the card and the story read it as such.
                ClickOutcome.Withdrawn => FixCancelledEvent.WithdrawnBy(request.Id.Value, planId, clicker.DisplayName),
                _ => new ClickRefusedEvent(request.Id.Value, planId, clicker.DisplayName, decision.Outcome.ToString()),
            };
            await _incidentService.AppendAsync(incident, clicked, clicker.ToString(), decision.Message, ct).ConfigureAwait(false);
            if (decision.Outcome is ClickOutcome.Rejected or ClickOutcome.Withdrawn)
            {
                await _incidents.UpdateStateAsync(incidentId, new StateTransition(IncidentState.AwaitingApproval, IncidentState.Diagnosed), ct).ConfigureAwait(false);
            }
        }

        if (decision.Outcome == ClickOutcome.ApprovedComplete)
        {
            Track(_jobs.Start($"execution of {request.Id.Value} on {incidentId.Value}", _ => ExecuteAsync(request.Id)));
        }

        return decision.Refused ? ActionReply.Refused(decision.Message, toChannel: decision.Message) : ActionReply.Done(decision.Message, decision.Message);
    }

    /// <summary>Expires stale requests and reports executions a stopped host left behind, resuming reboot watches.</summary>
    public async Task SweepAsync(IReadOnlyCollection<string> deadOwners, DateTimeOffset leaseExpiredBefore, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        foreach (var expired in await _requests.ExpireAsync(now, ct).ConfigureAwait(false))
        {
            if (await _incidents.GetAsync(expired.IncidentId, ct).ConfigureAwait(false) is { } incident)
            {
                await _incidentService.AppendAsync(incident, new FixExpiredEvent(expired.Id.Value), "netopsbot", $"{expired.Id.Value} expired without enough approvals; nothing was run", ct).ConfigureAwait(false);
                await _incidents.UpdateStateAsync(incident.Id, new StateTransition(IncidentState.AwaitingApproval, IncidentState.Diagnosed), ct).ConfigureAwait(false);
            }
        }

        var sweep = new ExecutionSweep { DeadOwners = deadOwners, LeaseExpiredBefore = leaseExpiredBefore, SweeperInstance = _instance };
        foreach (var cut in await _requests.MarkInterruptedExecutionsAsync(sweep, now, ct).ConfigureAwait(false))
        {
            if (await _incidents.GetAsync(cut.IncidentId, ct).ConfigureAwait(false) is not { } incident
                || await _inventory.FindAsync(cut.Device, ct).ConfigureAwait(false) is not { } device)
            {
                continue;
            }

            var why = $"Execution of {cut.Id.Value} ({string.Join("; ", cut.Commands)}) was cut off by a host restart; it is NOT repeated";
            await _incidentService.AppendAsync(incident, new InterruptionEvent(why) { RequestId = cut.Id.Value }, "netopsbot", why, ct).ConfigureAwait(false);
            if (cut.Kind == RemediationKind.Reboot)
            {
                Track(_jobs.Start($"recovery watch of {device.Name.Value} after {cut.Id.Value}", _ => ResumeRecoveryAsync(incident, device, cut.Id)));
            }
        }
    }

    private async Task ResumeRecoveryAsync(Incident incident, DeviceRef device, RemediationRequestId requestId)
    {
        BackgroundWork.Enter();

        // The resumed watch is this host's activity: it holds the lease until the re-diagnosis is stored.
        using var lease = _incidentService.HoldLease(incident.Id);
        await _incidents.UpdateStateAsync(incident.Id, IntoRemediating(IncidentState.Interrupted, IncidentState.Remediating, IncidentState.Diagnosed, IncidentState.AwaitingApproval), CancellationToken.None).ConfigureAwait(false);
        var observer = new TimelineObserver(this, incident);
        var resuming = $"Resuming the recovery watch of {device.Name.Value}";
        await _incidentService.AppendAsync(incident, new RecoveryEvent { Summary = resuming, Resumed = true }, "netopsbot", resuming, CancellationToken.None).ConfigureAwait(false);
        RecoveryResult recovery;
        try
        {
            recovery = await _executor.WatchRecoveryAsync(device, _execution, observer, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping (see StopAsync): left claimed and leased; the next start records and resumes it.
            await observer.DrainAsync().ConfigureAwait(false);
            return;
        }

        await observer.DrainAsync().ConfigureAwait(false);
        await _incidentService.AppendAsync(incident, RecoveryEvent.From(recovery), "netopsbot", recovery.Summary, CancellationToken.None).ConfigureAwait(false);
        if (recovery.CameBack)
        {
            await RediagnoseAndCloseAsync(incident, device, requestId).ConfigureAwait(false);
        }
        else
        {
            await _incidents.UpdateStateAsync(incident.Id, new StateTransition(IncidentState.Remediating, IncidentState.Diagnosed) { ReleaseLease = true }, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Into Remediating, owned and leased by this instance (a leased state without a lease reads as dead work).</summary>
    private StateTransition IntoRemediating(params IncidentState[] from)
    {
        var transition = new StateTransition(new HashSet<IncidentState>(from), IncidentState.Remediating) { Lease = _incidentService.NewLease() };
        IncidentLifecycle.EnsureValid(transition);
        return transition;
    }

    private async Task ExecuteAsync(RemediationRequestId id)
    {
        BackgroundWork.Enter();
        var request = await _requests.GetAsync(id, CancellationToken.None).ConfigureAwait(false);
        var incident = request is null ? null : await _incidents.GetAsync(request.IncidentId, CancellationToken.None).ConfigureAwait(false);
        var device = request is null ? null : await _inventory.FindAsync(request.Device, CancellationToken.None).ConfigureAwait(false);
        if (request is null || incident is null || device is null)
        {
            return;
        }

        // At most once: whichever click (on whichever replica) claims first runs it; the others stop here.
        var lease = new IncidentLease(_instance, _time.GetUtcNow() + _execution.RecoveryDeadline + TimeSpan.FromMinutes(2));
        if (!await _requests.TryClaimExecutionAsync(id, lease, _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false))
        {
            return;
        }

        var plan = ToPlan(request);

        // This host owns the execution, the recovery watch and the re-diagnosis: one lease, renewed until the end,
        // on the incident (for the incident sweep) and on the claim (for the execution sweep).
        using var held = _incidentService.HoldLease(incident.Id, until => _requests.RenewExecutionLeaseAsync(id, new IncidentLease(_instance, until), CancellationToken.None));
        await _incidents.UpdateStateAsync(incident.Id, IntoRemediating(IncidentState.AwaitingApproval, IncidentState.Diagnosed), CancellationToken.None).ConfigureAwait(false);

        // A reboot always re-probes the device just before it runs, however fresh the diagnosis: the switch may
        // have been fixed (through another incident, by hand) since the approval, and a reboot of a healthy switch
        // is an outage. Other fixes re-check when their diagnosis is older than MaxDiagnosisAge.
        var stale = ApprovalStateMachine.NeedsRecheck(request, _time.GetUtcNow(), _options.MaxDiagnosisAge);
        if (request.Kind == RemediationKind.Reboot || stale)
        {
            var fresh = await _incidentService.RediagnoseAsync(incident, device, CancellationToken.None, RediagnosisStartedEvent.Recheck, request.Id.Value).ConfigureAwait(false);
            var freshPlan = fresh.Remediations.FirstOrDefault(p => p.Id == request.PlanId);
            if (freshPlan is null || ApprovalStateMachine.EvidenceChanged(request.RootCauseCodes, fresh.RootCauseCodes, request.Commands, freshPlan.Commands.Select(c => c.Text)))
            {
                var changed = $"{(stale ? "The diagnosis was stale and the" : "The")} evidence changed on the re-check just before running {request.Id.Value}: it was approved on {Codes(request.RootCauseCodes)}, {device.Name.Value} now shows {Codes(fresh.RootCauseCodes)}. Nothing was run; request the fix again from the new verdict if it is still needed";
                await _requests.CompleteExecutionAsync(id, _instance, RemediationRequestState.Failed, changed, _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
                await _incidentService.AppendAsync(incident, new ExecutionFinishedEvent(request.PlanId, request.Id.Value, false, false, string.Empty, []) { Aborted = true }, "netopsbot", changed, CancellationToken.None).ConfigureAwait(false);
                await CloseFromReportAsync(incident, device, fresh).ConfigureAwait(false);
                return;
            }
        }

        // What the other open requests on this device were approved on is about to change: withdraw them.
        await CancelOthersAsync(device.Name, request.Id, $"another remediation ran on {device.Name.Value} ({request.Id.Value} in {incident.Id.Value})").ConfigureAwait(false);

        await _incidentService.AppendAsync(incident, new ExecutionStartedEvent(request.PlanId, request.Id.Value, request.Commands), "netopsbot",
            $"Running {request.Id.Value} on {device.Name.Value}: {string.Join("; ", request.Commands)}", CancellationToken.None).ConfigureAwait(false);
        var observer = new TimelineObserver(this, incident);
        ExecutionResult result;
        try
        {
            result = await _executor.ExecuteAsync(device, plan, _execution, observer, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping (see StopAsync): left claimed and leased; the next start records and resumes it.
            await observer.DrainAsync().ConfigureAwait(false);
            return;
        }
#pragma warning disable CA1031 // an execution must end in a stored outcome whatever failed
        catch (Exception ex)
#pragma warning restore CA1031
        {
            result = new ExecutionResult(false, "Execution failed: " + ex.Message, [], false, string.Empty, null);
        }

        await observer.DrainAsync().ConfigureAwait(false);
        await _requests.CompleteExecutionAsync(id, _instance, result.Succeeded ? RemediationRequestState.Executed : RemediationRequestState.Failed, result.Summary, _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        var finished = new ExecutionFinishedEvent(request.PlanId, request.Id.Value, result.Succeeded, result.Verified, result.VerificationEvidence, result.Commands.Select(ExecutedCommandRecord.From).ToList())
        {
            NextStep = result.NextStep,
        };
        await _incidentService.AppendAsync(incident, finished, "netopsbot", ExecutionOutcomeText.Line(result), CancellationToken.None).ConfigureAwait(false);

        if (result.Recovery is { } recovery)
        {
            await _incidentService.AppendAsync(incident, RecoveryEvent.From(recovery), "netopsbot", recovery.Summary, CancellationToken.None).ConfigureAwait(false);
        }

        if (result.Succeeded)
        {
            await RediagnoseAndCloseAsync(incident, device, request.Id).ConfigureAwait(false);
        }
        else
        {
            await _incidents.UpdateStateAsync(incident.Id, new StateTransition(IncidentState.Remediating, IncidentState.Diagnosed) { ReleaseLease = true }, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the incident when the device is healthy again, or leaves it open with what remains.</summary>
    private async Task RediagnoseAndCloseAsync(Incident incident, DeviceRef device, RemediationRequestId? requestId)
    {
        var report = await _incidentService.RediagnoseAsync(incident, device, CancellationToken.None, RediagnosisStartedEvent.AfterFix, requestId?.Value).ConfigureAwait(false);
        await CloseFromReportAsync(incident, device, report).ConfigureAwait(false);
    }

    private async Task CloseFromReportAsync(Incident incident, DeviceRef device, DiagnosisReport report)
    {
        var healthy = report.RootCauseCodes.Count == 1 && RootCause.IsHealthyCode(report.RootCauseCodes[0]);
        var from = new HashSet<IncidentState> { IncidentState.Remediating, IncidentState.Diagnosed, IncidentState.AwaitingApproval, IncidentState.Interrupted };
        var transition = new StateTransition(from, healthy ? IncidentState.Resolved : IncidentState.Diagnosed) { RootCauseCodes = report.RootCauseCodes, ReleaseLease = true };
        var resolution = new ResolutionEvent(healthy ? ResolutionEvent.Resolved : ResolutionEvent.StillOpen, healthy ? [] : report.RootCauseCodes);
        var line = healthy ? $"{device.Name.Value} is healthy again: incident resolved" : $"Still open: {string.Join(" + ", report.RootCauseCodes)}";
        if (healthy)
        {
            // The thread's last word is the story in one line (what was wrong, what fixed it, who approved, how long).
            var story = IncidentStory.Build(incident, [.. await _incidents.TimelineAsync(incident.Id, 0, CancellationToken.None).ConfigureAwait(false), ResolutionRow(incident, resolution)], _incidentService.RunbookOf(incident));
            if (story.Headline() is { } headline)
            {
                resolution = resolution with { Headline = headline };
                line += ". " + headline;
            }
        }

        // The state and its closing line in one write: nobody reads "Resolved" before the line that says so.
        await _incidentService.TransitionWithEventsAsync(incident, transition, [new(resolution, "netopsbot", line)], CancellationToken.None).ConfigureAwait(false);
        if (healthy)
        {
            // Requests in other incidents on this device were approved on evidence that no longer holds.
            await CancelOthersAsync(device.Name, null, $"{device.Name.Value} was fixed by {incident.Id.Value}").ConfigureAwait(false);
        }
    }

    /// <summary>Cancels the device's other open requests (any incident) and says so in each one's thread.</summary>
    private async Task CancelOthersAsync(DeviceName device, RemediationRequestId? except, string reason)
    {
        var cancelled = await _requests.CancelOpenForDeviceAsync(device, except, reason, _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        foreach (var r in cancelled)
        {
            if (await _incidents.GetAsync(r.IncidentId, CancellationToken.None).ConfigureAwait(false) is not { } incident)
            {
                continue;
            }

            await _incidentService.AppendAsync(incident, new FixCancelledEvent(r.Id.Value, r.PlanId, reason), "netopsbot",
                $"Cancelled {r.Id.Value}: {reason}. Nothing was run for it and approvals on it no longer count; request the fix again if it is still needed.", CancellationToken.None).ConfigureAwait(false);
            await _incidents.UpdateStateAsync(incident.Id, new StateTransition(IncidentState.AwaitingApproval, IncidentState.Diagnosed), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static string Codes(IReadOnlyList<string> codes) => codes.Count == 0 ? "nothing" : string.Join(" + ", codes);

    private async Task<(RemediationPlan? Plan, DateTimeOffset DiagnosisAt, IReadOnlyList<string> Codes)> LatestPlanAsync(Incident incident, string planId, CancellationToken ct)
    {
        var timeline = await _incidents.TimelineAsync(incident.Id, 0, ct).ConfigureAwait(false);
        return IncidentStory.Build(incident, timeline, _incidentService.RunbookOf(incident)).LatestPlan(planId) is { } latest
            ? (latest.Plan.ToPlan(), latest.At, latest.Codes)
            : (null, default, []);
    }

    // The resolution about to be stored, as a row, so the headline is computed from the whole story it ends.
    private TimelineEvent ResolutionRow(Incident incident, ResolutionEvent resolution) =>
        new(incident.Id, long.MaxValue, _time.GetUtcNow(), resolution.StoredAs, "netopsbot", string.Empty, IncidentEvents.Serialize(resolution));

    private static RemediationPlan ToPlan(RemediationRequest r)
    {
        var policy = ApprovalPolicy.For(r.Kind, Math.Max(1, r.ApproversRequired));
        // A request stores its plan id, not its cause; the plan only carries the commands to run here.
        return new RemediationPlan(r.PlanId, RootCause.OfStoredCode(null), r.PlanId, r.Commands.Select(VerdictPlan.Bind).ToList(), r.Kind, policy);
    }

    private void Track(Task task)
    {
        lock (_background)
        {
            _background.RemoveAll(t => t.IsCompleted);
            _background.Add(task);
        }
    }

    /// <summary>Puts each executor step on the timeline in order, without blocking the executor.</summary>
    private sealed class TimelineObserver(RemediationService service, Incident incident) : IExecutionObserver
    {
        private Task _tail = Task.CompletedTask;
        private readonly Lock _gate = new();

        public void Progress(string summary, string? detailJson)
        {
            lock (_gate)
            {
                _tail = _tail.ContinueWith(
                    _ => service._incidentService.AppendAsync(incident, Progress(detailJson), "netopsbot", summary, CancellationToken.None),
                    CancellationToken.None,
                    TaskContinuationOptions.None,
                    TaskScheduler.Default).Unwrap();
            }
        }

        // The executor's detail (a command and its answer, or a probe) read into the typed progress event.
        private static ExecutionProgressEvent Progress(string? detailJson)
        {
            if (detailJson is null)
            {
                return new ExecutionProgressEvent();
            }

            try
            {
                return JsonSerializer.Deserialize<ExecutionProgressEvent>(detailJson, IncidentEvents.Json) ?? new ExecutionProgressEvent();
            }
            catch (JsonException)
            {
                return new ExecutionProgressEvent { Detail = detailJson };
            }
        }

        public Task DrainAsync()
        {
            lock (_gate)
            {
                return _tail;
            }
        }
    }
}
