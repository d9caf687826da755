using System.Globalization;
using System.Text.Json;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Core.Security;

namespace NetOpsBot.IosXe.Remediation;

/// <summary>
/// Carries out an approved plan on a Cisco IOS-XE switch: only the plan's bound commands are sent (plus the read-only
/// "show" commands of <see cref="IosXeVerifications"/>), each question is answered as <see cref="IosXeConfirmations"/>
/// says (an unexpected one is declined and stops the plan), config changes are read back, and a reload is followed
/// by the recovery watch. Device trouble never throws: it becomes a failed result with the reason.
/// </summary>
public sealed class IosXeRemediationExecutor : IRemediationExecutor
{
    private readonly Func<DeviceRef, CancellationToken, Task<IConfirmingCliSession>> openSession;
    private readonly TimeProvider time;
    private readonly RecoveryWatch watch;

    public IosXeRemediationExecutor(IDeviceAccess access, Func<DeviceRef, CancellationToken, Task<IConfirmingCliSession>> openSession, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(openSession);
        ArgumentNullException.ThrowIfNull(time);
        this.openSession = openSession;
        this.time = time;
        watch = new RecoveryWatch(access, time, new ListenerReadBack(IosXeVerifications.ShowTcpBriefAll, ListeningSocket));
    }

    private static string WriteMemory => IosXeCommandTemplates.WriteMemory.Pattern;

    private static string Reload => IosXeCommandTemplates.Reload.Pattern;

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
                RemediationKind.Reboot => await ReloadAsync(run, plan).ConfigureAwait(false),
                _ => Fail(run, $"{plan.Id}: a {plan.Kind} plan is carried out by a person; nothing was sent"),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return Fail(run, $"{device.Name}: {plan.Id} stopped: {RecoveryWatch.Describe(ex)}");
        }
    }

    public async Task<IReadOnlyList<string>> UnsavedChangesAsync(DeviceRef device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var session = await openSession(device, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var timeout = TimeSpan.FromSeconds(20);
            var running = await session.RunAsync(IosXeVerifications.ShowRunningConfig, timeout, null, cancellationToken).ConfigureAwait(false);
            var saved = await session.RunAsync(IosXeVerifications.ShowStartupConfig, timeout, null, cancellationToken).ConfigureAwait(false);
            var r = ConfigLines(running.Output);
            var s = ConfigLines(saved.Output);

            // Compared raw (a changed secret is a real difference), shown redacted (approvers see that it changed, not what to).
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

    /// <summary>Lines that make a configuration (banners of the "show" command and comments left out).</summary>
    internal static HashSet<string> ConfigLines(string text) => text.Split('\n')
        .Select(l => l.TrimEnd('\r').TrimEnd())
        .Where(l => l.Length > 0 && !l.StartsWith('!') && l != "end"
            && !l.StartsWith("Building configuration", StringComparison.Ordinal)
            && !l.StartsWith("Current configuration", StringComparison.Ordinal)
            && !l.StartsWith("Startup configuration", StringComparison.Ordinal)
            && !l.StartsWith("Using ", StringComparison.Ordinal))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>The y/n (or decline) the session gives a question <paramref name="command"/> asks, from <see cref="IosXeConfirmations"/>.</summary>
    internal static string? AnswerFor(string command, string question) => IosXeConfirmations.For(command, question)?.Answer switch
    {
        // The dialect turns "y" into Enter for "[confirm]" and into "yes" for "[yes/no]".
        "" or "yes" => "y",
        "no" => "n",
        _ => null,
    };

    private async Task<ExecutionResult> ConfigAsync(Run run, RemediationPlan plan)
    {
        var session = await OpenAsync(run).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            foreach (var command in plan.Commands)
            {
                var r = await SendAsync(run, session, command.Text).ConfigureAwait(false);
                if (r.ErrorLine is not null)
                {
                    return Fail(run, $"{run.Device.Name}: '{command.Text}' failed: {r.ErrorLine}; the remaining commands were not sent");
                }
            }

            var checks = plan.Commands.Select(IosXeVerifications.For).OfType<IosXeVerification>().ToList();
            if (checks.Count == 0)
            {
                var none = $"{run.Device.Name}: {plan.Id} applied; no read-back exists for these commands";
                Report(run, none, null);
                return Result(run, true, none, false, "no read-back for this plan");
            }

            var outcomes = new List<IosXeVerificationOutcome>();
            foreach (var check in checks)
            {
                var outputs = new List<string>();
                foreach (var read in check.Commands)
                {
                    outputs.Add((await SendAsync(run, session, read).ConfigureAwait(false)).Output);
                }

                var outcome = check.Judge(outputs);
                outcomes.Add(outcome);
                Report(run, $"Verify {check.Name}: {(outcome.Verified ? "OK" : "NOT verified")} — {outcome.Evidence}", null);
            }

            var evidence = string.Join("\n", outcomes.Select(o => o.Evidence));
            if (outcomes.All(o => o.Verified))
            {
                var done = $"{run.Device.Name}: {plan.Title}: applied and verified";
                Report(run, done, null);
                return Result(run, true, done, true, evidence);
            }

            // Every command was accepted, so the switch did change; what it did not do is take effect.
            var next = outcomes.FirstOrDefault(o => !o.Verified && o.NextStep is not null)?.NextStep
                ?? "re-run the diagnosis: it shows what is still wrong; re-applying the same commands will not change the read-back";
            var summary = $"{run.Device.Name}: {plan.Title}: applied, not effective: {string.Join("; ", outcomes.Where(o => !o.Verified).Select(o => o.Evidence))}";
            Report(run, summary, null);
            return Result(run, true, summary, false, evidence) with { NextStep = DeviceOutputRedactor.Redact(next) };
        }
    }

    private async Task<ExecutionResult> ReloadAsync(Run run, RemediationPlan plan)
    {
        var session = await OpenAsync(run).ConfigureAwait(false);
        var reloadSent = false;
        await using (session.ConfigureAwait(false))
        {
            foreach (var command in plan.Commands)
            {
                var text = command.Text;
                if (text == WriteMemory && !run.Options.SaveBeforeReboot)
                {
                    Report(run, "Skipped 'write memory': the request said not to save the running configuration", null);
                    continue;
                }

                if (text == Reload)
                {
                    try
                    {
                        // "Save? [yes/no]" is answered "no" (the plan's own write memory is the only save approved) and
                        // "Proceed with reload? [confirm]" is confirmed; anything else is declined.
                        var r = await SendAsync(run, session, text).ConfigureAwait(false);
                        if (r.ErrorLine is not null)
                        {
                            return Fail(run, $"{run.Device.Name}: reload not performed: {r.ErrorLine}");
                        }

                        Report(run, "Sent reload; session closed by the switch", null);
                    }
                    catch (NotSupportedException ex)
                    {
                        return Fail(run, $"{run.Device.Name}: reload not sent: the connector cannot answer IOS's save and confirm questions one by one ({ex.Message})");
                    }
                    catch (Exception ex) when (ex is DeviceAccessException or TimeoutException or IOException)
                    {
                        // The switch may drop the session at any point once it reloads; the watch decides.
                        Report(run, $"Sent reload; the session ended: {RecoveryWatch.Describe(ex)}", null);
                    }

                    reloadSent = true;
                    continue;
                }

                var result = await SendAsync(run, session, text).ConfigureAwait(false);
                if (result.ErrorLine is not null)
                {
                    return Fail(run, $"{run.Device.Name}: '{text}' failed: {result.ErrorLine}; the switch was not reloaded");
                }
            }
        }

        if (!reloadSent)
        {
            return Fail(run, $"{run.Device.Name}: {plan.Id} has no reload command; nothing was reloaded");
        }

        var (recovery, evidence) = await WatchAsync(run, expectDown: true).ConfigureAwait(false);
        var ok = recovery.CameBack && recovery.SshPortListening && recovery.SshLoginWorks;
        return new ExecutionResult(ok, recovery.Summary, [.. run.Commands], ok, DeviceOutputRedactor.Redact(evidence), recovery);
    }

    private Task<(RecoveryResult Recovery, string Evidence)> WatchAsync(Run run, bool expectDown) =>
        watch.WatchAsync(run.Device, run.Options, expectDown, (s, d) => Report(run, s, d), (c, o, e, t) => Record(run, c, o, e, t), run.Token);

    private static string? ListeningSocket(string output, int port)
    {
        var parsed = TcpListenersParser.ParseTcpBrief(output);
        var socket = parsed.Value?.Connections.FirstOrDefault(c => c.IsListening && c.LocalPort == port);
        return socket is null ? null : $"{socket.LocalAddress}:{port.ToString(CultureInfo.InvariantCulture)}";
    }

    private async Task<IConfirmingCliSession> OpenAsync(Run run)
    {
        Report(run, $"Opening a CLI session to {run.Device.Name}", null);
        var session = await openSession(run.Device, run.Token).ConfigureAwait(false);
        if (session.Path is { } path)
        {
            Report(run, RecoveryWatch.DescribePath(run.Device, path), path.Kind == AccessPathKind.Console ? """{"path":"console"}""" : """{"path":"ssh"}""");
        }

        return session;
    }

    private async Task<CliResult> SendAsync(Run run, IConfirmingCliSession session, string command)
    {
        var started = time.GetTimestamp();
        var r = await session.RunAnsweringEachAsync(command, run.Options.CommandTimeout, q => AnswerFor(command, q), run.Token).ConfigureAwait(false);
        Record(run, command, r.Output, r.ErrorLine, time.GetElapsedTime(started));
        return r;
    }

    private static void Record(Run run, string command, string raw, string? error, TimeSpan duration)
    {
        // What a command answered goes to the result, the timeline and the thread; none of them may hold a device secret.
        var output = DeviceOutputRedactor.Redact(raw);
        run.Commands.Add(new ExecutedCommand(command, output, error, duration));
        var detail = JsonSerializer.Serialize(new CommandDetail(command, output, error, (long)duration.TotalMilliseconds), JsonOptions);
        Report(run, error is null ? $"Ran `{command}` ({RecoveryWatch.Format(duration)})" : $"Ran `{command}`: {error}", detail);
    }

    private static void Report(Run run, string summary, string? detail)
    {
        try
        {
            run.Observer.Progress(DeviceOutputRedactor.Redact(summary), detail is null ? null : DeviceOutputRedactor.RedactJson(detail));
        }
#pragma warning disable CA1031 // An observer (timeline, chat) failing must not stop a half-applied change or a reload watch.
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

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private sealed record CommandDetail(string Command, string Output, string? Error, long DurationMs);

    private sealed class Run(DeviceRef device, ExecutionOptions options, IExecutionObserver observer, CancellationToken token)
    {
        public DeviceRef Device { get; } = device;

        public ExecutionOptions Options { get; } = options;

        public IExecutionObserver Observer { get; } = observer;

        public CancellationToken Token { get; } = token;

        public List<ExecutedCommand> Commands { get; } = [];
    }
}
