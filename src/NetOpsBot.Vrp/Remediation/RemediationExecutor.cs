using System.Globalization;
using System.Text.Json;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Core.Security;

namespace NetOpsBot.Vrp.Remediation;

/// <summary>
/// Carries out an approved plan on a Huawei VRP device: only the plan's bound commands are sent (plus the
/// read-only checks of <see cref="RemediationVerifications"/>), config changes are read back, and a
/// reboot is followed by a recovery watch (TCP probes through the jump host, then a real SSH login).
/// Device trouble never throws: it becomes a failed result with the reason.
/// </summary>
public sealed class RemediationExecutor : IRemediationExecutor
{
    private const string SaveCommand = "save";
    private const string RebootCommand = "reboot";

    private readonly IDeviceAccess access;
    private readonly Func<DeviceRef, CancellationToken, Task<IConfirmingCliSession>> openSession;
    private readonly TimeProvider time;

    /// <param name="access">Probes the SSH port and opens the post-reboot login check (always SSH through the jump host, never the console).</param>
    /// <param name="openSession">Opens the session the plan runs on (any access path the Host chooses), paging already off.</param>
    /// <param name="time">Clock for probe intervals, deadlines and durations.</param>
    public RemediationExecutor(IDeviceAccess access, Func<DeviceRef, CancellationToken, Task<IConfirmingCliSession>> openSession, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(openSession);
        ArgumentNullException.ThrowIfNull(time);
        this.access = access;
        this.openSession = openSession;
        this.time = time;
    }

    public async Task<ExecutionResult> ExecuteAsync(DeviceRef device, RemediationPlan plan, ExecutionOptions options, IExecutionObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observer);
        var run = new Run(device, options, observer, cancellationToken);
        try
        {
            if (plan.Commands.Count == 0)
            {
                return Fail(run, $"{plan.Id}: the plan has no device commands; nothing was sent");
            }

            return plan.Kind switch
            {
                RemediationKind.Config => await ConfigAsync(run, plan).ConfigureAwait(false),
                RemediationKind.Reboot => await RebootAsync(run, plan).ConfigureAwait(false),
                _ => Fail(run, $"{plan.Id}: a {plan.Kind} plan is carried out by a person; nothing was sent"),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Timeouts, dropped sessions, connector failures: a result, never an exception to the caller.
            return Fail(run, $"{device.Name}: {plan.Id} stopped: {Describe(ex)}");
        }
    }

    public async Task<IReadOnlyList<string>> UnsavedChangesAsync(DeviceRef device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var session = await openSession(device, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var timeout = TimeSpan.FromSeconds(20);
            var running = await session.RunAsync("display current-configuration", timeout, null, cancellationToken).ConfigureAwait(false);
            var saved = await session.RunAsync("display saved-configuration", timeout, null, cancellationToken).ConfigureAwait(false);
            static HashSet<string> Lines(string text) => text.Split('\n')
                .Select(l => l.TrimEnd('\r').TrimEnd())
                .Where(l => l.Length > 0 && l != "#" && !l.StartsWith('!') && l != "return")
                .ToHashSet(StringComparer.Ordinal);
            var r = Lines(running.Output);
            var s = Lines(saved.Output);

            // Compared raw (a changed password is a real difference), shown redacted (approvers see that it changed, not what to).
            return [.. r.Where(l => !s.Contains(l)).Select(l => "not saved: " + DeviceOutputRedactor.Redact(l.Trim())),
                .. s.Where(l => !r.Contains(l)).Select(l => "only in saved: " + DeviceOutputRedactor.Redact(l.Trim()))];
        }
    }

    public async Task<RecoveryResult> WatchRecoveryAsync(DeviceRef device, ExecutionOptions options, IExecutionObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observer);
        var run = new Run(device, options, observer, cancellationToken);
        var (recovery, _) = await WatchAsync(run, expectDown: false).ConfigureAwait(false);
        return recovery;
    }

    private async Task<ExecutionResult> ConfigAsync(Run run, RemediationPlan plan)
    {
        var session = await OpenAsync(run).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            foreach (var command in plan.Commands)
            {
                // The plan was approved as a whole, so a confirmation a config command asks is answered yes.
                var r = await SendAsync(run, session, command.Text, "y").ConfigureAwait(false);
                if (r.ErrorLine is not null)
                {
                    return Fail(run, $"{run.Device.Name}: '{command.Text}' failed: {r.ErrorLine}; the remaining commands were not sent");
                }
            }

            var checks = plan.Commands.Select(RemediationVerifications.For).OfType<Verification>().ToList();
            if (checks.Count == 0)
            {
                var none = $"{run.Device.Name}: {plan.Id} applied; no read-back exists for these commands";
                Report(run, none, null);
                return Result(run, true, none, false, "no read-back for this plan");
            }

            var outcomes = new List<VerificationOutcome>();
            foreach (var check in checks)
            {
                var outputs = new List<string>();
                foreach (var read in check.Commands)
                {
                    var r = await SendAsync(run, session, read, null).ConfigureAwait(false);
                    outputs.Add(r.Output);
                }

                var outcome = check.Judge(outputs);
                outcomes.Add(outcome);
                Report(run, $"Verify {check.Name}: {(outcome.Verified ? "OK" : "NOT verified")} — {outcome.Evidence}", null);
            }

            var verified = outcomes.All(o => o.Verified);
            var evidence = string.Join("\n", outcomes.Select(o => o.Evidence));
            if (verified)
            {
                var done = $"{run.Device.Name}: {plan.Title}: applied and verified";
                Report(run, done, null);
                return Result(run, true, done, true, evidence);
            }

            // Every command was accepted, so the device did change; what it did not do is take effect. Saying
            // "failed" would hide that the configuration moved, saying "done" would hide that nothing got better.
            var next = outcomes.FirstOrDefault(o => !o.Verified && o.NextStep is not null)?.NextStep
                ?? "re-run the diagnosis: it shows what is still wrong; re-applying the same commands will not change the read-back";
            var summary = $"{run.Device.Name}: {plan.Title}: applied, not effective: {string.Join("; ", outcomes.Where(o => !o.Verified).Select(o => o.Evidence))}";
            Report(run, summary, null);
            return Result(run, true, summary, false, evidence) with { NextStep = DeviceOutputRedactor.Redact(next) };
        }
    }

    private async Task<ExecutionResult> RebootAsync(Run run, RemediationPlan plan)
    {
        var session = await OpenAsync(run).ConfigureAwait(false);
        var rebootSent = false;
        await using (session.ConfigureAwait(false))
        {
            foreach (var command in plan.Commands)
            {
                var text = command.Text;
                if (text == SaveCommand && !run.Options.SaveBeforeReboot)
                {
                    Report(run, "Skipped save: the request said not to save the running configuration", null);
                    continue;
                }

                if (text == RebootCommand)
                {
                    try
                    {
                        var r = run.Options.SaveBeforeReboot
                            ? await SendAsync(run, session, text, "y").ConfigureAwait(false)
                            : await SendAnsweringEachAsync(run, session, text, RebootWithoutSave).ConfigureAwait(false);
                        if (r.ErrorLine is not null)
                        {
                            return Fail(run, $"{run.Device.Name}: reboot not performed: {r.ErrorLine}");
                        }

                        Report(run, "Sent reboot; session closed by the device", null);
                    }
                    catch (NotSupportedException ex)
                    {
                        // Thrown by the connector before anything was sent: the device was not touched.
                        return Fail(run, $"{run.Device.Name}: reboot not sent: answering the save question 'n' and the reboot question 'y' is not supported by the connector ({ex.Message})");
                    }
                    catch (Exception ex) when (ex is DeviceAccessException or TimeoutException or IOException)
                    {
                        // The device may drop the session at any point once it starts rebooting; the watch decides.
                        Report(run, $"Sent reboot; the session ended: {Describe(ex)}", null);
                    }

                    rebootSent = true;
                    continue;
                }

                // save (answered yes: the approval card said the configuration would be saved); anything
                // else in a reboot plan gets no "yes" it was not approved for.
                var answer = text == SaveCommand ? "y" : null;
                var result = await SendAsync(run, session, text, answer).ConfigureAwait(false);
                if (result.ErrorLine is not null)
                {
                    return Fail(run, $"{run.Device.Name}: '{text}' failed: {result.ErrorLine}; the device was not rebooted");
                }
            }
        }

        if (!rebootSent)
        {
            return Fail(run, $"{run.Device.Name}: {plan.Id} has no reboot command; nothing was rebooted");
        }

        var (recovery, evidence) = await WatchAsync(run, expectDown: true).ConfigureAwait(false);
        var ok = recovery.CameBack && recovery.SshPortListening && recovery.SshLoginWorks;
        return new ExecutionResult(ok, recovery.Summary, [.. run.Commands], ok, DeviceOutputRedactor.Redact(evidence), recovery);
    }

    /// <summary>"n" to "save the modified configuration?", "y" to "System will reboot!", decline anything else.</summary>
    private static string? RebootWithoutSave(string question) =>
        question.Contains("reboot", StringComparison.OrdinalIgnoreCase) && !question.Contains("save", StringComparison.OrdinalIgnoreCase) ? "y"
        : question.Contains("save", StringComparison.OrdinalIgnoreCase) || question.Contains("modified", StringComparison.OrdinalIgnoreCase) ? "n"
        : null;

    /// <summary>Probes until the device stops answering (when expected), answers again, then logs in over SSH.</summary>
    private async Task<(RecoveryResult Recovery, string Evidence)> WatchAsync(Run run, bool expectDown)
    {
        var name = run.Device.Name.ToString();
        var port = run.Device.SshPort;
        var portText = port.ToString(CultureInfo.InvariantCulture);
        var start = time.GetTimestamp();
        var expected = BootTimes.Expected(run.Device);
        var deadline = BootTimes.RecoveryDeadline(run.Device, run.Options.RecoveryDeadline, run.Options.DeadlineFollowsBootTime);
        var probeTimeout = TimeSpan.FromTicks(Math.Clamp(run.Options.ProbeInterval.Ticks * 2, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromSeconds(5).Ticks));
        var wentDown = false;
        long? downAt = null;
        var lastProblem = string.Empty;

        // Phase 1: wait for the device to stop answering. A resumed watch skips it: "already up" is back.
        if (expectDown)
        {
            while (time.GetElapsedTime(start) < deadline)
            {
                var p = await ProbeAsync(run, port, probeTimeout).ConfigureAwait(false);
                if (p.Outcome is ProbeOutcome.Timeout or ProbeOutcome.Refused)
                {
                    wentDown = true;
                    downAt = time.GetTimestamp();
                    Report(run, $"{name} is down (TCP {portText} {p.Outcome.ToString().ToLowerInvariant()}); expected back within {Format(expected)}", ProbeJson(p));
                    break;
                }

                lastProblem = NoteProbeProblem(run, p, lastProblem);
                await DelayAsync(run, start, deadline).ConfigureAwait(false);
            }

            if (!wentDown)
            {
                Report(run, $"{name} never stopped answering on TCP {portText} within {Format(deadline)}: the reboot may not have happened", null);
            }
        }

        // Phase 2: wait for the SSH port to answer again, saying so at a human pace rather than every probe.
        var cameBack = false;
        var downtime = TimeSpan.Zero;
        var progressFrom = downAt ?? start;
        var nextProgress = run.Options.ProgressInterval;
        while (true)
        {
            var p = await ProbeAsync(run, port, probeTimeout).ConfigureAwait(false);
            if (p.Outcome == ProbeOutcome.Open)
            {
                cameBack = true;
                downtime = downAt is long d ? time.GetElapsedTime(d) : TimeSpan.Zero;
                Report(run, wentDown
                    ? $"{name} answers on TCP {portText} again after {Format(time.GetElapsedTime(start))}"
                    : $"{name} answers on TCP {portText}", ProbeJson(p));
                break;
            }

            lastProblem = NoteProbeProblem(run, p, lastProblem);
            if (time.GetElapsedTime(start) >= deadline)
            {
                break;
            }

            var down = time.GetElapsedTime(progressFrom);
            if (nextProgress > TimeSpan.Zero && down >= nextProgress)
            {
                Report(run, $"{name} still {(wentDown ? "down" : "not answering")} after {Format(Whole(down, run.Options.ProgressInterval))} (expected up to {Format(expected)})", null);
                nextProgress = Whole(down, run.Options.ProgressInterval) + run.Options.ProgressInterval;
            }

            await DelayAsync(run, start, deadline).ConfigureAwait(false);
        }

        if (!cameBack)
        {
            var summary = expectDown
                ? $"{name} did not answer on TCP {portText} within {Format(deadline)} after the reboot"
                : $"{name} did not answer on TCP {portText} within {Format(deadline)}";
            Report(run, summary, null);
            return (new RecoveryResult(wentDown, false, time.GetElapsedTime(start), false, false, summary), string.Empty);
        }

        // Phase 3: a real login through the jump host on the SSH port (never the console), and the socket table.
        var (login, listening, evidence, why) = await LoginCheckAsync(run, port, start, deadline).ConfigureAwait(false);
        string result;
        if (login && listening)
        {
            var socket = ListeningSocket(evidence, port);
            Report(run, $"SSH login through the jump host works; {socket} Listening", null);
            result = $"{name} recovered: back on TCP {portText}{(wentDown ? $" after {Format(downtime)} down" : string.Empty)}, {socket} listening, SSH login through the jump host works";
        }
        else if (login)
        {
            result = $"{name} is back but display tcp status shows no listener on {portText}";
        }
        else
        {
            result = $"{name} answers on TCP {portText} but an SSH login through the jump host fails: {why}";
        }

        Report(run, result, null);
        return (new RecoveryResult(wentDown, true, downtime, listening, login, result), evidence);
    }

    private async Task<(bool Login, bool Listening, string Evidence, string Why)> LoginCheckAsync(Run run, int port, long start, TimeSpan deadline)
    {
        // The port may open before the CLI is ready, so logins are retried until the deadline (at least twice).
        var why = string.Empty;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var session = await access.OpenCliAsync(run.Device, AccessPath.Ssh(port), run.Token).ConfigureAwait(false);
                await using (session.ConfigureAwait(false))
                {
                    var started = time.GetTimestamp();
                    var r = await session.RunAsync(RemediationVerifications.TcpStatus, run.Options.CommandTimeout, run.Token).ConfigureAwait(false);
                    Record(run, r.Command, r.Output, r.ErrorLine, time.GetElapsedTime(started));
                    var parsed = TcpStatusParser.Parse(r.Output);
                    var listening = parsed is { IsParsed: true, Value: { } t } && t.IsListening(port);
                    return (true, listening, RemediationVerifications.TcpStatus + "\n" + r.Output, string.Empty);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !run.Token.IsCancellationRequested)
            {
                why = Describe(ex);
                Report(run, $"SSH login through the jump host failed (attempt {attempt.ToString(CultureInfo.InvariantCulture)}): {why}", null);
            }

            if (attempt >= 2 && time.GetElapsedTime(start) >= deadline)
            {
                return (false, false, string.Empty, why);
            }

            await Task.Delay(run.Options.ProbeInterval, time, run.Token).ConfigureAwait(false);
        }
    }

    private static string ListeningSocket(string tcpEvidence, int port)
    {
        var parsed = TcpStatusParser.Parse(tcpEvidence);
        var socket = parsed.Value?.Sockets.FirstOrDefault(s => s.IsListening && s.LocalPort == port);
        return socket is null ? "port " + port.ToString(CultureInfo.InvariantCulture) : $"{socket.LocalAddress}:{socket.LocalPort.ToString(CultureInfo.InvariantCulture)}";
    }

    private async Task<TcpProbeResult> ProbeAsync(Run run, int port, TimeSpan timeout)
    {
        try
        {
            return await access.ProbeAsync(run.Device, port, timeout, run.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !run.Token.IsCancellationRequested)
        {
            return new TcpProbeResult(port, ProbeOutcome.Error, Describe(ex), TimeSpan.Zero);
        }
    }

    // Jump host trouble says nothing about the device: reported once per distinct problem, not counted as down.
    private static string NoteProbeProblem(Run run, TcpProbeResult p, string last)
    {
        if (p.Outcome is ProbeOutcome.JumpHostUnreachable or ProbeOutcome.Error)
        {
            var problem = $"Probe of TCP {p.Port.ToString(CultureInfo.InvariantCulture)}: {p.Outcome} ({p.Detail})";
            if (problem != last)
            {
                Report(run, problem, ProbeJson(p));
            }

            return problem;
        }

        return last;
    }

    private async Task DelayAsync(Run run, long start, TimeSpan deadline)
    {
        var left = deadline - time.GetElapsedTime(start);
        var wait = left < run.Options.ProbeInterval ? left : run.Options.ProbeInterval;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, run.Token).ConfigureAwait(false);
        }
    }

    private async Task<IConfirmingCliSession> OpenAsync(Run run)
    {
        Report(run, $"Opening a CLI session to {run.Device.Name}", null);
        var session = await openSession(run.Device, run.Token).ConfigureAwait(false);
        if (session.Path is { } path)
        {
            Report(run, SessionPaths.Describe(run.Device, path), path.Kind == AccessPathKind.Console ? """{"path":"console"}""" : """{"path":"ssh"}""");
        }

        return session;
    }

    private async Task<CliResult> SendAsync(Run run, IConfirmingCliSession session, string command, string? answer)
    {
        var started = time.GetTimestamp();
        var r = await session.RunAsync(command, run.Options.CommandTimeout, answer, run.Token).ConfigureAwait(false);
        Record(run, command, r.Output, r.ErrorLine, time.GetElapsedTime(started));
        return r;
    }

    private async Task<CliResult> SendAnsweringEachAsync(Run run, IConfirmingCliSession session, string command, Func<string, string?> answerFor)
    {
        var started = time.GetTimestamp();
        var r = await session.RunAnsweringEachAsync(command, run.Options.CommandTimeout, answerFor, run.Token).ConfigureAwait(false);
        Record(run, command, r.Output, r.ErrorLine, time.GetElapsedTime(started));
        return r;
    }

    private static void Record(Run run, string command, string raw, string? error, TimeSpan duration)
    {
        // What a command answered goes to the result, the timeline and the thread; none of them may hold a device secret.
        var output = DeviceOutputRedactor.Redact(raw);
        run.Commands.Add(new ExecutedCommand(command, output, error, duration));
        var detail = JsonSerializer.Serialize(new CommandDetail(command, output, error, (long)duration.TotalMilliseconds), DetailJson.Options);
        Report(run, error is null ? $"Ran `{command}` ({Format(duration)})" : $"Ran `{command}`: {error}", detail);
    }

    private static string ProbeJson(TcpProbeResult p) =>
        JsonSerializer.Serialize(new ProbeDetail(p.Port, p.Outcome.ToString(), p.Detail, (long)p.Duration.TotalMilliseconds), DetailJson.Options);

    private static void Report(Run run, string summary, string? detail)
    {
        try
        {
            run.Observer.Progress(DeviceOutputRedactor.Redact(summary), detail is null ? null : DeviceOutputRedactor.RedactJson(detail));
        }
#pragma warning disable CA1031 // An observer (timeline, chat) failing must not stop a half-applied change or a reboot watch.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static ExecutionResult Fail(Run run, string summary)
    {
        Report(run, summary, null);
        return Result(run, false, summary, false, string.Empty);
    }

    private static ExecutionResult Result(Run run, bool ok, string summary, bool verified, string evidence) =>
        new(ok, DeviceOutputRedactor.Redact(summary), [.. run.Commands], verified, DeviceOutputRedactor.Redact(evidence), null);

    private static string Describe(Exception ex) => ex switch
    {
        DeviceAccessException d => $"{d.Reason}: {d.Message}",
        TimeoutException t => "timeout: " + t.Message,
        _ => ex.GetType().Name + ": " + ex.Message,
    };

    /// <summary><paramref name="t"/> rounded down to a multiple of <paramref name="step"/> ("after 2 min", not "after 2 min 0.3 s").</summary>
    private static TimeSpan Whole(TimeSpan t, TimeSpan step) => step > TimeSpan.Zero ? TimeSpan.FromTicks(t.Ticks / step.Ticks * step.Ticks) : t;

    internal static string Format(TimeSpan t) =>
        t >= TimeSpan.FromMinutes(1) && t.Seconds == 0 && t.Milliseconds == 0
            ? t.TotalMinutes.ToString("0", CultureInfo.InvariantCulture) + " min"
            : t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    private sealed record CommandDetail(string Command, string Output, string? Error, long DurationMs);

    private sealed record ProbeDetail(int Port, string Outcome, string Detail, long DurationMs);

    private sealed class Run(DeviceRef device, ExecutionOptions options, IExecutionObserver observer, CancellationToken token)
    {
        public DeviceRef Device { get; } = device;

        public ExecutionOptions Options { get; } = options;

        public IExecutionObserver Observer { get; } = observer;

        public CancellationToken Token { get; } = token;

        public List<ExecutedCommand> Commands { get; } = [];
    }

    private static class DetailJson
    {
        public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
    }
}
