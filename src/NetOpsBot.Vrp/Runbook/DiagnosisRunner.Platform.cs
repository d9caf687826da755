using System.Globalization;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Platforms;
using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Vrp.Runbook;

/// <summary>
/// The device steps on a platform that brings its own collectors (issue 16): the runbook keeps the order, the
/// access path, the probes, the command timeouts and the rules; the platform says what to type and what it means.
/// </summary>
public sealed partial class DiagnosisRunner
{
    /// <summary>The device's platform collectors; null for VRP (the steps in DiagnosisRunner.DeviceSteps) or an unregistered platform.</summary>
    private ISshUnreachableCollector? CollectorFor(DeviceRef device) => platforms?.Find(device.Platform)?.SshUnreachable;

    private SshUnreachableTarget TargetOf(RunContext run) =>
        new(run.Device, options.ManagementSubnet, options.JumpHostIp ?? options.ManagementSubnet.FirstHost, run.Facts.ConfiguredPort);

    private (string Id, Func<IDeviceCliSession, StepLog, Task<StepOutcome>> Body)[] PlatformSteps(RunContext run, ISshUnreachableCollector c) =>
    [
        (SshUnreachableSteps.Routing, (s, log) => CollectAsync(run, s, log, (r, t) => c.RoutingAsync(r, t, run.Token))),
        (SshUnreachableSteps.Service, (s, log) => CollectAsync(run, s, log, (r, t) => c.ServiceAsync(r, t, run.Token))),
        (SshUnreachableSteps.Listener, (s, log) => CollectAsync(run, s, log, (r, t) => c.ListenerAsync(r, t, run.Token))),
        (SshUnreachableSteps.SshDebug, (s, log) => PlatformSshDebugAsync(run, s, log, c)),
        (SshUnreachableSteps.Hardening, (s, log) => CollectAsync(run, s, log, (r, t) => c.HardeningAsync(r, t, run.Token))),
    ];

    private async Task<StepOutcome> CollectAsync(RunContext run, IDeviceCliSession session, StepLog log, Func<DeviceCommandRunner, SshUnreachableTarget, Task<CollectedStep>> step)
    {
        var collected = await step((command, timeout) => RunCommandAsync(run, session, log, command, timeout), TargetOf(run)).ConfigureAwait(false);
        Apply(run.Facts, collected.Facts);
        return new StepOutcome(collected.Status, collected.Finding, collected.Evidence);
    }

    /// <summary>As on VRP: debug on, one connection attempt from the jump host, count the SSH debug lines, debug off always.</summary>
    private async Task<StepOutcome> PlatformSshDebugAsync(RunContext run, IDeviceCliSession session, StepLog log, ISshUnreachableCollector c)
    {
        var facts = run.Facts;
        string lines;
        TcpProbeResult probe;
        try
        {
            foreach (var command in c.DebugOnCommands)
            {
                await RunCommandAsync(run, session, log, command).ConfigureAwait(false);
            }

            probe = await ProbeQuietlyAsync(run, facts.ConfiguredPort).ConfigureAwait(false);
            log.Note($"connection attempt to {probe.Port.ToString(CultureInfo.InvariantCulture)}: {Describe(probe.Outcome)}");
            lines = await session.CollectAsyncLinesAsync(options.DebugWindow, run.Token).ConfigureAwait(false);
            log.Note("collected asynchronous lines:");
            log.Note(lines);
        }
        finally
        {
            foreach (var command in c.DebugOffCommands)
            {
                try
                {
                    await RunCommandAsync(run, session, log, command).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is TimeoutException or DeviceAccessException or OperationCanceledException)
                {
                    log.Note($"'{command}' failed: {ex.Message}; debugging may still be on");
                }
            }
        }

        var ssh = c.SshDebugLines(lines);
        facts.DebugProbeOutcome = probe.Outcome;
        var port = facts.ConfiguredPort.ToString(CultureInfo.InvariantCulture);
        if (ssh is null)
        {
            return new StepOutcome(StepStatus.Warn, "The debug output could not be read", [$"attempt to port {port}: {Describe(probe.Outcome)}"]);
        }

        facts.SshDebugLineCount = ssh.Count;
        var evidence = new List<string> { $"attempt to port {port}: {Describe(probe.Outcome)}", $"SSH debug lines during the attempt: {ssh.Count.ToString(CultureInfo.InvariantCulture)}" };
        evidence.AddRange(ssh.Take(MaxEvidenceLines - 2));
        if (ssh.Count > 0)
        {
            return new StepOutcome(StepStatus.Ok, $"{ssh.Count} SSH debug lines: the attempt reached the SSH server", evidence);
        }

        return probe.Outcome == ProbeOutcome.Refused
            ? new StepOutcome(StepStatus.Warn, $"Zero SSH debug lines while port {port} refused the attempt: rejected at the TCP layer, before SSH", evidence)
            : new StepOutcome(StepStatus.Warn, $"Zero SSH debug lines during the attempt (port {port} {Describe(probe.Outcome)})", evidence);
    }

    /// <summary>Known facts overwrite; unknown (null) ones leave what the runbook already knows.</summary>
    private static void Apply(DiagnosisFacts f, SshUnreachableFacts c)
    {
        if (c.HasRouteToManagement is { } route)
        {
            f.HasRouteToManagement = route;
        }

        if (c.ConfiguredPort is { } port)
        {
            f.ConfiguredPort = port;
        }

        if (c.StelnetEnabled is { } ssh)
        {
            f.StelnetEnabled = ssh;
        }

        if (c.ListeningPorts is { } listening)
        {
            f.ListeningPorts = listening;
        }

        if (c.RsaKeyPresent is { } key)
        {
            f.RsaKeyPresent = key;
        }

        if (c.VtyProtocol is { } protocol)
        {
            f.VtyProtocol = protocol;
        }

        if (c.VtyRange is { } range)
        {
            f.VtyRange = range;
        }

        if (c.TelnetServerEnabled is { } telnet)
        {
            f.TelnetServerEnabled = telnet;
        }

        if (c.AclDeniesManagement is { } denies)
        {
            f.AclDeniesManagement = denies;
        }

        f.DenyingAclName = c.DenyingAclName ?? f.DenyingAclName;

        f.PlatformDetail = c.PlatformDetail ?? f.PlatformDetail;
    }

    private List<RemediationPlan> PlatformPlans(RunContext run, ISshUnreachableCollector c, IReadOnlyList<RootCauseFinding> findings)
    {
        var f = run.Facts;
        var facts = new SshUnreachableFacts { VtyRange = f.VtyRange, ConfiguredPort = f.ConfiguredPort, GatewayIp = f.GatewayIp, PlatformDetail = f.PlatformDetail };
        return findings.SelectMany(finding => c.PlansFor(finding.Cause, facts, TargetOf(run), options.ConfigApproversRequired)).ToList();
    }
}
