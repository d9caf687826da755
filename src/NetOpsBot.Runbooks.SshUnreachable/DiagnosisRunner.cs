using System.Collections.Concurrent;
using System.Globalization;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Platforms;
using NetOpsBot.Core.Remediation;
using S = NetOpsBot.Runbooks.SshUnreachable.SshUnreachableSteps;

namespace NetOpsBot.Runbooks.SshUnreachable;

/// <summary>
/// Runs the <c>ssh-unreachable</c> runbook on a device of any platform that brings its collectors. Access first (it decides the path);
/// then the gateway step (another device, its own session) runs beside the device steps, which share one
/// CLI session and so run in order. Every failure becomes an Error step; the run itself only ends early
/// on a stopping finding (jump host down, host key mismatch) or the run timeout.
/// </summary>
public sealed partial class DiagnosisRunner : IDiagnosisRunner
{
    private readonly IDeviceAccess access;
    private readonly IDeviceInventory inventory;
    private readonly TimeProvider time;
    private readonly SshUnreachableOptions options;
    private readonly GatewaySessions gateways;
    private readonly DevicePlatforms platforms;

    /// <param name="platforms">The registered platforms: each device runs the steps in its own platform's commands
    /// (<see cref="ISshUnreachablePlatform.SshUnreachable"/>); the runbook itself speaks no vendor's CLI.</param>
    public DiagnosisRunner(IDeviceAccess access, IDeviceInventory inventory, TimeProvider time, DevicePlatforms platforms)
        : this(access, inventory, time, null, platforms)
    {
    }

    public DiagnosisRunner(IDeviceAccess access, IDeviceInventory inventory, TimeProvider time, SshUnreachableOptions? options, DevicePlatforms platforms)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(platforms);
        this.access = access;
        this.inventory = inventory;
        this.time = time;
        this.options = options ?? new SshUnreachableOptions();
        this.platforms = platforms;
        gateways = new GatewaySessions(access, time, this.options.GatewaySessionIdle);
    }

    public IReadOnlyList<StepDescriptor> Steps => S.All;

    public async Task<DiagnosisReport> RunAsync(DeviceRef device, IDiagnosisObserver? observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var startedAt = time.GetUtcNow();
        var start = time.GetTimestamp();
        using var activity = RunbookTelemetry.Source.StartActivity("diagnosis ssh-unreachable");
        activity?.SetTag("netopsbot.device", device.Name.Value);
        using var runTimeout = new CancellationTokenSource(options.RunTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, runTimeout.Token);
        var run = new RunContext(device, observer, linked.Token, cancellationToken);
        run.Facts.ConfiguredPort = device.SshPort;
        run.Facts.KnownServicePorts = options.KnownServicePorts;
        (run.Facts.ManagementSubnet, run.Facts.ManagementSource) = (options.ManagementSubnet, options.JumpHostIp ?? options.ManagementSubnet.FirstHost);

        IDeviceCliSession? session = null;
        try
        {
            await RunStepAsync(run, S.Access, async log =>
            {
                var (opened, outcome) = await AccessAsync(run, log).ConfigureAwait(false);
                session = opened;
                return outcome;
            }).ConfigureAwait(false);
            if (run.Facts.JumpHostUnreachable || run.Facts.HostKeyMismatch)
            {
                var why = run.Facts.JumpHostUnreachable ? "stopped: jump host unreachable" : "stopped: host key mismatch (security event)";
                foreach (var id in new[] { S.Gateway, S.Routing, S.Service, S.Listener, S.SshDebug, S.Hardening })
                {
                    Skip(run, id, why);
                }
            }
            else
            {
                var gateway = RunStepAsync(run, S.Gateway, log => GatewayAsync(run, log));
                await Task.WhenAll(gateway, DeviceStepsThenCloseAsync()).ConfigureAwait(false);
            }
        }
        finally
        {
            if (session is not null)
            {
                await DisposeQuietlyAsync(session).ConfigureAwait(false);
            }
        }

        // The device allows one CLI session at a time, so hand it back as soon as its steps are done: holding
        // it while the gateway step waits its turn at a gateway shared by every diagnosis made the next run on
        // this device wait too (measured: 50 diagnoses at once, 35 ended undetermined at the 120 s run timeout).
        async Task DeviceStepsThenCloseAsync()
        {
            try
            {
                await DeviceStepsAsync(run, session).ConfigureAwait(false);
            }
            finally
            {
                if (session is { } done)
                {
                    session = null;
                    await DisposeQuietlyAsync(done).ConfigureAwait(false);
                }
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var findings = SshUnreachableRules.Evaluate(run.Facts);
        var plans = PlatformPlans(run, CollectorFor(device), findings);
        await RunStepAsync(run, S.Verdict, _ => Task.FromResult(Verdict(findings))).ConfigureAwait(false);

        var steps = S.All.Select(d => run.Results.TryGetValue(d.Id, out var r) ? r : Skipped(d.Id, "not run")).ToList();
        var rootCause = findings.Count == 0 ? "undetermined" : string.Join("+", findings.Select(f => f.Cause.Code));
        activity?.SetTag("netopsbot.root_cause", rootCause);
        RunbookTelemetry.RunDuration.Record(time.GetElapsedTime(start).TotalSeconds, new KeyValuePair<string, object?>("netopsbot.root_cause", rootCause));
        return new DiagnosisReport(device, startedAt, time.GetElapsedTime(start), steps, findings, plans);
    }

    private static StepOutcome Verdict(IReadOnlyList<RootCauseFinding> findings)
    {
        if (findings.Count == 0)
        {
            return new StepOutcome(StepStatus.Warn, "No rule matched: root cause undetermined, see the steps", []);
        }

        var evidence = findings.Select(f => $"{f.Cause.Code} ({f.RuleId}, {f.Confidence.ToString().ToLowerInvariant()} confidence)").ToList();
        var healthy = findings.Count == 1 && findings[0].Cause == SshUnreachableCauses.Healthy;
        return new StepOutcome(healthy ? StepStatus.Ok : StepStatus.Fail, string.Join(" + ", findings.Select(f => f.Cause.Title)), evidence);
    }

    private async Task DeviceStepsAsync(RunContext run, IDeviceCliSession? session)
    {
        var collector = CollectorFor(run.Device);
        if (collector is null)
        {
            foreach (var id in new[] { S.Routing, S.Service, S.Listener, S.SshDebug, S.Hardening })
            {
                Skip(run, id, $"platform '{run.Device.Platform}' has no steps for this runbook");
            }

            return;
        }

        foreach (var (id, body) in PlatformSteps(run, collector))
        {
            if (session is null)
            {
                Skip(run, id, "no CLI session to the device");
            }
            else if (run.SessionLost is { } lost)
            {
                Skip(run, id, "session lost: " + lost);
            }
            else if (run.Token.IsCancellationRequested)
            {
                Skip(run, id, "run timed out before this step");
            }
            else
            {
                await RunStepAsync(run, id, log => body(session, log)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The one place that turns anything a step throws into an Error step.</summary>
    private async Task RunStepAsync(RunContext run, string id, Func<StepLog, Task<StepOutcome>> body)
    {
        var title = S.TitleOf(id);
        Notify(() => run.Observer?.StepStarted(id, title));
        var log = new StepLog { Attempts = 1 };
        var start = time.GetTimestamp();
        using var activity = RunbookTelemetry.Source.StartActivity("diagnosis.step " + id);
        activity?.SetTag("netopsbot.device", run.Device.Name.Value);
        activity?.SetTag("netopsbot.step", id);
        StepOutcome outcome;
        try
        {
            outcome = await body(log).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (run.CallerToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (run.Token.IsCancellationRequested)
        {
            outcome = new StepOutcome(StepStatus.Error, $"run timed out after {Seconds(options.RunTimeout)}", []);
        }
        catch (TimeoutException ex)
        {
            outcome = new StepOutcome(StepStatus.Error, "timed out: " + ex.Message, []);
        }
        catch (DeviceAccessException ex)
        {
            run.SessionLost ??= ex.Reason + ": " + ex.Message;
            outcome = new StepOutcome(StepStatus.Error, $"device access failed ({ex.Reason}): {ex.Message}", []);
        }
#pragma warning disable CA1031 // Deliberate: one step's bug or a device's surprise must not kill the whole diagnosis.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            outcome = new StepOutcome(StepStatus.Error, $"internal error in step {id}: {ex.GetType().Name}: {ex.Message}", []);
        }

        run.Facts.Evidence.TryAdd(id, outcome.Evidence);
        run.Facts.Commands.TryAdd(id, log.Commands.ToList());
        var result = new StepResult(id, title, outcome.Status, outcome.Finding, outcome.Evidence, log.Raw, time.GetElapsedTime(start), log.Attempts)
        {
            Commands = log.Commands.ToList(),
        };
        run.Results[id] = result;
        activity?.SetTag("netopsbot.step.status", result.Status.ToString());
        RunbookTelemetry.StepDuration.Record(result.Duration.TotalSeconds,
            new KeyValuePair<string, object?>("netopsbot.step", id),
            new KeyValuePair<string, object?>("netopsbot.step.status", result.Status.ToString()));
        Notify(() => run.Observer?.StepFinished(result));
    }

    private static void Skip(RunContext run, string id, string why)
    {
        var result = Skipped(id, why);
        run.Results[id] = result;
        Notify(() => run.Observer?.StepFinished(result));
    }

    private static StepResult Skipped(string id, string why) => new(id, S.TitleOf(id), StepStatus.Skipped, why, [], string.Empty, TimeSpan.Zero, 0);

    /// <summary>
    /// Runs one command with its own timeout. The session enforces the timeout too; the token here makes
    /// sure a session that ignores it cannot hold the run.
    /// </summary>
    private async Task<CliResult> RunCommandAsync(RunContext run, IDeviceCliSession session, StepLog log, string command, TimeSpan? timeout = null)
    {
        var limit = timeout ?? options.CommandTimeout;
        using var commandTimeout = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(run.Token, commandTimeout.Token);
        try
        {
            var result = await session.RunAsync(command, limit, linked.Token).ConfigureAwait(false);
            log.Add(result);
            return result;
        }
        catch (OperationCanceledException) when (commandTimeout.IsCancellationRequested && !run.Token.IsCancellationRequested)
        {
            log.Commands.Add(command);
            log.Note($"'{command}' timed out after {Seconds(limit)}");
            throw new TimeoutException($"'{command}' gave no prompt within {Seconds(limit)}");
        }
        catch (TimeoutException)
        {
            log.Commands.Add(command);
            log.Note($"'{command}' timed out after {Seconds(limit)}");
            throw;
        }
    }

    internal static async Task DisposeQuietlyAsync(IDeviceCliSession session)
    {
        try
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A session that fails to close must not hide the report.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static void Notify(Action action)
    {
        try
        {
            action();
        }
#pragma warning disable CA1031 // An observer (chat card) failure must not stop the diagnosis.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private sealed class RunContext(DeviceRef device, IDiagnosisObserver? observer, CancellationToken token, CancellationToken callerToken)
    {
        public DeviceRef Device { get; } = device;

        public IDiagnosisObserver? Observer { get; } = observer;

        /// <summary>Cancelled by the caller or by the run timeout.</summary>
        public CancellationToken Token { get; } = token;

        public CancellationToken CallerToken { get; } = callerToken;

        public DiagnosisFacts Facts { get; } = new();

        public ConcurrentDictionary<string, StepResult> Results { get; } = new(StringComparer.Ordinal);

        public string? SessionLost { get; set; }
    }
}
