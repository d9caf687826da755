using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Platforms;
using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Runbooks.SshUnreachable;

/// <summary>
/// The device and gateway steps in the device's platform (issue 16): the runbook keeps the order, the access path,
/// the probes, the command timeouts and the rules; the platform says what to type and what it means.
/// </summary>
public sealed partial class DiagnosisRunner
{
    /// <summary>The device's platform collectors; null for a platform this build does not speak or that does not implement the runbook.</summary>
    private ISshUnreachableCollector? CollectorFor(DeviceRef device) => (platforms.Find(device.Platform) as ISshUnreachablePlatform)?.SshUnreachable;

    private SshUnreachableTarget TargetOf(RunContext run) =>
        new(run.Device, options.ManagementSubnet, options.JumpHostIp ?? options.ManagementSubnet.FirstHost, run.Facts.ConfiguredPort)
        {
            KnownServicePorts = options.KnownServicePorts,
            Known = Known(run.Facts),
        };

    private (string Id, Func<IDeviceCliSession, StepLog, Task<StepOutcome>> Body)[] PlatformSteps(RunContext run, ISshUnreachableCollector c) =>
    [
        (SshUnreachableSteps.Routing, (s, log) => CollectAsync(run, s, log, (r, t) => c.RoutingAsync(r, t, run.Token))),
        (SshUnreachableSteps.Service, (s, log) => CollectAsync(run, s, log, (r, t) => c.ServiceAsync(r, t, run.Token))),
        (SshUnreachableSteps.Listener, (s, log) => CollectAsync(run, s, log, (r, t) => c.ListenerAsync(r, t, run.Token))),
        (SshUnreachableSteps.SshDebug, (s, log) => SshDebugAsync(run, s, log, c)),
        (SshUnreachableSteps.Hardening, (s, log) => CollectAsync(run, s, log, (r, t) => c.HardeningAsync(r, t, run.Token))),
    ];

    private async Task<StepOutcome> CollectAsync(RunContext run, IDeviceCliSession session, StepLog log, Func<DeviceCommandRunner, SshUnreachableTarget, Task<CollectedStep>> step)
    {
        var collected = await step((command, timeout) => RunCommandAsync(run, session, log, command, timeout), TargetOf(run)).ConfigureAwait(false);
        Apply(run.Facts, collected.Facts);
        return new StepOutcome(collected.Status, collected.Finding, collected.Evidence);
    }

    /// <summary>From the inventory gateway: is the device alive at L2 (ARP) and L3 (ping) next to it? Asked in the gateway's own platform.</summary>
    private async Task<StepOutcome> GatewayAsync(RunContext run, StepLog log)
    {
        var device = run.Device;
        if (device.GatewayName is null)
        {
            return new StepOutcome(StepStatus.Skipped, "No gateway in the inventory for this device", []);
        }

        var gateway = await inventory.FindAsync(device.GatewayName, run.Token).ConfigureAwait(false);
        if (gateway is null)
        {
            return new StepOutcome(StepStatus.Error, $"Gateway {device.GatewayName} is not in the inventory", []);
        }

        if (CollectorFor(gateway) is not { GatewayChecks: { } checks } collector)
        {
            return new StepOutcome(StepStatus.Skipped, $"Gateway {gateway.Name} is a {gateway.Platform} device: its ARP/ping checks are not implemented yet", []);
        }

        try
        {
            return await gateways.UseAsync(gateway, (session, fresh) => GatewayChecksAsync(run, log, gateway, session, fresh, collector, checks), run.Token).ConfigureAwait(false);
        }
        catch (DeviceAccessException ex)
        {
            var security = ex.Reason == DeviceAccessFailure.HostKeyMismatch ? " (security event: key not accepted)" : string.Empty;
            return new StepOutcome(ex.Reason == DeviceAccessFailure.HostKeyMismatch ? StepStatus.Fail : StepStatus.Error, $"Cannot reach gateway {gateway.Name}: {ex.Reason}{security}", [ex.Message]);
        }
    }

    private async Task<StepOutcome> GatewayChecksAsync(RunContext run, StepLog log, DeviceRef gateway, IDeviceCliSession session, bool fresh, ISshUnreachableCollector collector, ISshUnreachableGatewayChecks checks)
    {
        if (fresh)
        {
            foreach (var command in collector.SessionSetupCommands)
            {
                await RunCommandAsync(run, session, log, command).ConfigureAwait(false);
            }
        }

        var collected = await checks.CheckAsync((command, timeout) => RunCommandAsync(run, session, log, command, timeout), new SshUnreachableGatewayTarget(gateway, run.Device, options.PingTimeout), run.Token).ConfigureAwait(false);
        Apply(run.Facts, collected.Facts);
        return new StepOutcome(collected.Status, collected.Finding, collected.Evidence);
    }

    /// <summary>What the device steps learned so far, for a step that refines it. The gateway's facts are left out: that step runs beside these.</summary>
    private static SshUnreachableFacts Known(DiagnosisFacts f) => new()
    {
        HasRouteToManagement = f.HasRouteToManagement,
        ConfiguredPort = f.ConfiguredPort,
        StelnetEnabled = f.StelnetEnabled,
        ListeningPorts = f.ListeningPorts,
        RsaKeyPresent = f.RsaKeyPresent,
        VtyProtocol = f.VtyProtocol,
        VtyRange = f.VtyRange,
        TelnetServerEnabled = f.TelnetServerEnabled,
        AclDeniesManagement = f.AclDeniesManagement,
        ManagementInterface = f.ManagementInterface,
        ManagementInterfaceDown = f.ManagementInterfaceDown,
        SshSourceInterfaces = f.SshSourceInterfaces,
        SshSourceExcludesManagement = f.SshSourceExcludesManagement,
        InterfaceAclDeniesManagement = f.InterfaceAclDeniesManagement,
    };

    /// <summary>
    /// Known facts overwrite; unknown (null) ones leave what the runbook already knows, so the gateway step and the
    /// device steps, which run at the same time, never write each other's facts.
    /// </summary>
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

        if (c.GatewayIp is { } gatewayIp)
        {
            f.GatewayIp = gatewayIp;
        }

        if (c.GatewayArpPresent is { } arp)
        {
            f.GatewayArpPresent = arp;
        }

        if (c.GatewayPingOk is { } ping)
        {
            f.GatewayPingOk = ping;
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

        if (c.ManagementInterface is { } mgmt)
        {
            f.ManagementInterface = mgmt;
        }

        if (c.ManagementInterfaceDown is { } down)
        {
            f.ManagementInterfaceDown = down;
        }

        if (c.SshSourceInterfaces is { } sources)
        {
            f.SshSourceInterfaces = sources;
        }

        if (c.SshSourceExcludesManagement is { } excludes)
        {
            f.SshSourceExcludesManagement = excludes;
        }

        if (c.InterfaceAclDeniesManagement is { } filtered)
        {
            f.InterfaceAclDeniesManagement = filtered;
        }

        if (c.InterfaceAclEvidence is { } filter)
        {
            f.InterfaceAclEvidence = filter;
        }

        f.DenyingAclName = c.DenyingAclName ?? f.DenyingAclName;
        f.InterfaceAclName = c.InterfaceAclName ?? f.InterfaceAclName;

        if (c.PlatformDetail is { } detail)
        {
            f.PlatformDetail = detail;
        }
    }

    private List<RemediationPlan> PlatformPlans(RunContext run, ISshUnreachableCollector? c, IReadOnlyList<RootCauseFinding> findings)
    {
        if (c is null)
        {
            return [];
        }

        var f = run.Facts;
        var facts = new SshUnreachableFacts
        {
            VtyRange = f.VtyRange,
            ConfiguredPort = f.ConfiguredPort,
            GatewayIp = f.GatewayIp,
            ManagementInterface = f.ManagementInterface,
            SshSourceInterfaces = f.SshSourceInterfaces,
            PlatformDetail = f.PlatformDetail,
        };
        return findings.SelectMany(finding => c.PlansFor(finding.Cause, facts, TargetOf(run), options.ConfigApproversRequired)).ToList();
    }
}
