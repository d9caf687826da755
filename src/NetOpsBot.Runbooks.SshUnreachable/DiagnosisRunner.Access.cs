using System.Globalization;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Diagnosis;

namespace NetOpsBot.Runbooks.SshUnreachable;

public sealed partial class DiagnosisRunner
{
    /// <summary>
    /// Probes the configured and alternate ports (concurrently: they are independent connects), then opens
    /// a CLI on the first path that works: SSH on the configured port, SSH on an open alternate, console.
    /// The console login may start while the probes still wait (<see cref="SshUnreachableOptions.ConsoleLoginAfter"/>);
    /// it is used only where the console is the path taken, and closed otherwise.
    /// </summary>
    private async Task<(IDeviceCliSession? Session, StepOutcome Outcome)> AccessAsync(RunContext run, StepLog log)
    {
        var ports = new[] { run.Device.SshPort }.Concat(run.Device.AlternatePorts).Distinct().ToList();
        var probing = ports.Select(p => ProbeQuietlyAsync(run, p)).ToList();
        var console = await ConsoleHeadStartAsync(run, probing).ConfigureAwait(false);
        var used = false;
        try
        {
            var probes = await Task.WhenAll(probing).ConfigureAwait(false);
            if (console is not null && probes.Any(p => p.Outcome == ProbeOutcome.Open))
            {
                // A port answered late, so SSH comes first after all. The connector gives a device one CLI session at a
                // time: an SSH login would queue behind the console session (up to its queue timeout), so that goes first;
                // should every SSH path fail, the console is opened again as before.
                var early = console;
                console = null;
                await CloseUnusedConsoleAsync(early).ConfigureAwait(false);
            }

            var (session, outcome) = await AccessOnPathsAsync(run, log, probes, console).ConfigureAwait(false);
            used = console is not null && run.Facts.CliPath?.Kind == AccessPathKind.Console;
            return (session, outcome);
        }
        finally
        {
            if (console is not null && !used)
            {
                // The run stopped (jump host lost, host key, cancelled) or the console gave no prompt: nothing is kept open.
                await CloseUnusedConsoleAsync(console).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Starts the console login beside the probes once <see cref="SshUnreachableOptions.ConsoleLoginAfter"/> has passed
    /// and no probe has found an open port (nor lost the jump host): an answer (SYN-ACK or RST) takes one round trip,
    /// so ports still silent then are, all but always, going to time out and leave the console as the only path; its
    /// login then overlaps the rest of the probe timeout instead of following it. Null when the probes decide first.
    /// </summary>
    private async Task<Task<IDeviceCliSession>?> ConsoleHeadStartAsync(RunContext run, IReadOnlyList<Task<TcpProbeResult>> probing)
    {
        var after = options.ConsoleLoginAfter;
        if (run.Device.Console is null || after <= TimeSpan.Zero || after >= options.ProbeTimeout)
        {
            return null;
        }

        var all = Task.WhenAll(probing);
        using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(run.Token);
        var delay = Task.Delay(after, time, stopDelay.Token);
        var first = await Task.WhenAny(all, delay).ConfigureAwait(false);
        await stopDelay.CancelAsync().ConfigureAwait(false);
        if (first == all || run.Token.IsCancellationRequested)
        {
            return null;
        }

        var answered = probing.Any(t => t.IsCompletedSuccessfully && t.Result.Outcome is ProbeOutcome.Open or ProbeOutcome.JumpHostUnreachable);
        return answered ? null : access.OpenCliAsync(run.Device, AccessPath.Console, run.Token);
    }

    private static async Task CloseUnusedConsoleAsync(Task<IDeviceCliSession> console)
    {
        try
        {
            await DisposeQuietlyAsync(await console.ConfigureAwait(false)).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed login nobody waits for has nothing to report: the path taken is already in the evidence.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async Task<(IDeviceCliSession? Session, StepOutcome Outcome)> AccessOnPathsAsync(RunContext run, StepLog log, TcpProbeResult[] probes, Task<IDeviceCliSession>? console)
    {
        var device = run.Device;
        var facts = run.Facts;
        facts.Probes = probes.ToDictionary(p => p.Port);
        var evidence = probes.Select(p => $"tcp {p.Port.ToString(CultureInfo.InvariantCulture)}: {Describe(p.Outcome)} ({p.Detail}, {Ms(p.Duration)})").ToList();
        foreach (var line in evidence)
        {
            log.Note(line);
        }

        if (probes.Any(p => p.Outcome == ProbeOutcome.JumpHostUnreachable))
        {
            facts.JumpHostUnreachable = true;
            return (null, new StepOutcome(StepStatus.Fail, "Jump host unreachable: the device cannot be probed", evidence));
        }

        var paths = probes.Where(p => p.Outcome == ProbeOutcome.Open).Select(p => AccessPath.Ssh(p.Port)).ToList();
        if (device.Console is not null)
        {
            paths.Add(AccessPath.Console);
        }

        log.Attempts = probes.Length;
        IDeviceCliSession? session = null;
        string? sshLoginFailure = null;
        foreach (var path in paths)
        {
            log.Attempts++;
            try
            {
                session = path.Kind == AccessPathKind.Console && console is not null
                    ? await console.ConfigureAwait(false)
                    : await access.OpenCliAsync(device, path, run.Token).ConfigureAwait(false);
                evidence.Add($"cli via {path}: ok");
                log.Note($"cli via {path}: ok");
                facts.CliPath = path;
                break;
            }
            catch (DeviceAccessException ex) when (ex.Reason == DeviceAccessFailure.HostKeyMismatch)
            {
                // A security event: no other path is tried, the key is never accepted.
                facts.HostKeyMismatch = true;
                evidence.Add($"cli via {path}: HOST KEY MISMATCH: {ex.Message}");
                return (null, new StepOutcome(StepStatus.Fail, $"Host key mismatch on {path}: stopped, key not accepted (security event)", evidence));
            }
            catch (DeviceAccessException ex) when (ex.Reason == DeviceAccessFailure.JumpHostUnreachable)
            {
                facts.JumpHostUnreachable = true;
                evidence.Add($"cli via {path}: jump host unreachable: {ex.Message}");
                return (null, new StepOutcome(StepStatus.Fail, "Jump host unreachable", evidence));
            }
            catch (Exception ex) when (ex is DeviceAccessException or TimeoutException)
            {
                var reason = ex is DeviceAccessException dae ? Describe(dae.Reason) : "timed out";
                evidence.Add($"cli via {path}: {reason}: {ex.Message}");
                log.Note($"cli via {path}: {reason}: {ex.Message}");
                if (path.Kind == AccessPathKind.Console)
                {
                    facts.ConsoleNoPrompt = true;
                }
                else if (path == AccessPath.Ssh(device.SshPort))
                {
                    sshLoginFailure = reason;
                }
            }
        }

        var configured = facts.Probes[device.SshPort];
        var portText = $"port {device.SshPort.ToString(CultureInfo.InvariantCulture)} {Describe(configured.Outcome)}";
        if (session is null)
        {
            // Name the console line: it is the next place an engineer looks (a dead device, a cable, a crash on the console).
            var tried = device.Console is null
                ? "no console configured"
                : $"console {device.Console.Server} port {device.Console.Port.ToString(CultureInfo.InvariantCulture)} gave no prompt";
            return (null, new StepOutcome(StepStatus.Fail, $"No access path: {portText}, no alternate port works, {tried}", evidence));
        }

        foreach (var command in CollectorFor(device)?.SessionSetupCommands ?? [])
        {
            try
            {
                await RunCommandAsync(run, session, log, command).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or DeviceAccessException)
            {
                // Paging stays on: the parsers cope with "---- More ----", so this is a warning, not a stop.
                evidence.Add($"{command}: {ex.Message}");
            }
        }

        var status = configured.Outcome == ProbeOutcome.Open && facts.CliPath == AccessPath.Ssh(device.SshPort) ? StepStatus.Ok : StepStatus.Fail;
        // A failed step must say what failed: "port 22 open" alone reads as a success next to a red status.
        var summary = sshLoginFailure is null
            ? $"{Capitalize(portText)}; CLI via {facts.CliPath}"
            : $"{Capitalize(portText)} but SSH login failed ({sshLoginFailure}); CLI via {facts.CliPath}";
        return (session, new StepOutcome(status, summary, evidence));
    }

    /// <summary>What a person reads for each failure: never the enum's name.</summary>
    internal static string Describe(DeviceAccessFailure reason) => reason switch
    {
        DeviceAccessFailure.JumpHostUnreachable => "jump host unreachable",
        DeviceAccessFailure.HostKeyMismatch => "host key mismatch",
        DeviceAccessFailure.Refused => "connection refused",
        DeviceAccessFailure.Timeout => "timed out",
        DeviceAccessFailure.AuthFailed => "authentication failed",
        DeviceAccessFailure.HandshakeFailed => "SSH handshake failed",
        DeviceAccessFailure.SessionRefused => "no CLI session given",
        _ => "failed",
    };

    private Task<TcpProbeResult> ProbeQuietlyAsync(RunContext run, int port) => ProbeQuietlyAsync(run, port, options.ProbeTimeout);

    private async Task<TcpProbeResult> ProbeQuietlyAsync(RunContext run, int port, TimeSpan timeout)
    {
        try
        {
            return await access.ProbeAsync(run.Device, port, timeout, run.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!run.Token.IsCancellationRequested)
        {
            return new TcpProbeResult(port, ProbeOutcome.Timeout, "probe cancelled by its timeout", timeout);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new TcpProbeResult(port, ProbeOutcome.Error, ex.GetType().Name + ": " + ex.Message, TimeSpan.Zero);
        }
    }

    private static string Describe(ProbeOutcome o) => o switch
    {
        ProbeOutcome.Open => "open",
        ProbeOutcome.Refused => "refused (RST)",
        ProbeOutcome.Timeout => "timed out (filtered or down)",
        ProbeOutcome.JumpHostUnreachable => "not probed: jump host unreachable",
        _ => "probe error",
    };

    private static string Ms(TimeSpan t) => ((int)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + " ms";

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
