using System.Globalization;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Diagnosis;
using S = NetOpsBot.Runbooks.SshUnreachable.SshUnreachableSteps;

namespace NetOpsBot.Runbooks.SshUnreachable;

/// <summary>The rule table of the <c>ssh-unreachable</c> runbook and its evaluation.</summary>
internal static class SshUnreachableRules
{
    public static IReadOnlyList<DiagnosisRule> All { get; } =
    [
        new("jump-host.unreachable", SshUnreachableCauses.JumpHostUnreachable, "the jump host did not answer, so nothing about the device is known",
            f => f.JumpHostUnreachable, _ => Confidence.High, f => f.EvidenceOf(S.Access), Stops: true),

        new("access.host-key-mismatch", SshUnreachableCauses.HostKeyMismatch, "the device's host key differs from the pinned one",
            f => f.HostKeyMismatch, _ => Confidence.High, f => f.EvidenceOf(S.Access), Stops: true),

        new("access.no-answer", SshUnreachableCauses.DeviceUnreachable, "no port answers (no RST either) and no CLI path works",
            f => !f.CliReachable && f.Probes.Count > 0 && f.Probes.Values.All(p => p.Outcome is ProbeOutcome.Timeout or ProbeOutcome.Error),
            f => f.GatewayArpPresent == false || f.GatewayPingOk == false ? Confidence.High : Confidence.Medium,
            f => [.. f.EvidenceOf(S.Access), .. f.EvidenceOf(S.Gateway)]),

        new("service.stelnet-disabled", SshUnreachableCauses.SshServerDisabled, "display ssh server status says the STelnet server is disabled",
            f => f.StelnetEnabled == false, _ => Confidence.High, f => f.EvidenceOf(S.Service)),

        new("hardening.rsa-key-missing", SshUnreachableCauses.RsaKeyMissing, "the device has no RSA local key pair",
            f => f.RsaKeyPresent == false, _ => Confidence.High, f => f.EvidenceOf(S.Hardening)),

        new("hardening.vty-protocol-not-ssh", SshUnreachableCauses.VtyProtocolNotSsh, "the VTY lines accept a protocol set without SSH",
            f => f.VtyProtocol is { } p && !p.Contains("ssh", StringComparison.OrdinalIgnoreCase) && !p.Equals("all", StringComparison.OrdinalIgnoreCase),
            _ => Confidence.High, f => f.EvidenceOf(S.Hardening)),

        new("hardening.vty-acl-denies-management", SshUnreachableCauses.VtyAclDeniesManagement, "the VTY (or SSH server) ACL does not permit the management source",
            f => f.AclDeniesManagement == true, _ => Confidence.High, f => f.EvidenceOf(S.Hardening)),

        new("service.ssh-source-excludes-management", SshUnreachableCauses.SshSourceExcludesManagement, "ssh server-source leaves the management interface out, and SSH on the configured port did not let the bot in",
            f => f.SshSourceExcludesManagement == true && f.CliPath != AccessPath.Ssh(f.ConfiguredPort),
            f => f.ConfiguredPortProbe is ProbeOutcome.Refused or ProbeOutcome.Timeout ? Confidence.High : Confidence.Medium,
            f => [.. f.EvidenceOf(S.Hardening).Where(e => e.Contains("server-source", StringComparison.Ordinal) || e.Contains("management interface", StringComparison.Ordinal)), .. f.EvidenceOf(S.Access)]),

        new("listener.ghost-port", SshUnreachableCauses.ListenerStuck, "SSH enabled, nothing listens on the configured port, a listener sits on an unexpected port",
            f => f.StelnetEnabled != false && f.ListeningOnConfiguredPort == false && f.GhostPorts.Count > 0,
            f => f.ConfiguredPortProbe == ProbeOutcome.Refused || f.SshDebugLineCount == 0 ? Confidence.High : Confidence.Medium,
            f => [.. f.EvidenceOf(S.Listener), .. f.EvidenceOf(S.SshDebug)]),

        new("listener.not-listening", SshUnreachableCauses.ListenerStuck, "SSH enabled with a host key, yet nothing listens on the configured port (no ghost port seen)",
            f => f.StelnetEnabled == true && f.RsaKeyPresent != false && f.ListeningOnConfiguredPort == false && f.GhostPorts.Count == 0,
            _ => Confidence.Low, f => [.. f.EvidenceOf(S.Listener), .. f.EvidenceOf(S.SshDebug)]),

        new("interface.management-shut", SshUnreachableCauses.ManagementInterfaceDown, "the interface holding the management address is administratively down",
            f => f.ManagementInterfaceDown == true,
            f => f.GatewayArpPresent == false ? Confidence.High : Confidence.Medium,
            f => [.. ShutInterfaceStage(f), .. f.EvidenceOf(S.Routing), .. f.EvidenceOf(S.Gateway)]),

        new("interface.acl-drops-management", SshUnreachableCauses.InterfaceAclBlocksManagement, "a traffic-filter inbound ACL on the management interface drops the management source",
            f => f.InterfaceAclDeniesManagement == true,
            f => f.ConfiguredPortProbe == ProbeOutcome.Timeout && f.GatewayArpPresent != false ? Confidence.High : Confidence.Medium,
            f => [.. FilteredStage(f), .. f.InterfaceAclEvidence, .. f.EvidenceOf(S.Access)]),

        // A shut management interface removes the routes too: the interface is the cause, not the routing table.
        new("routing.no-return-route", SshUnreachableCauses.ReturnRouteMissing, "no default route and no route covering the management subnet",
            f => f.HasRouteToManagement == false && f.ManagementInterfaceDown != true, _ => Confidence.High, f => [.. UnreachableStage(f), .. f.EvidenceOf(S.Routing)]),

        new("verdict.healthy", SshUnreachableCauses.Healthy, "SSH port open, CLI reached, route back, SSH enabled and listening, key present, VTY and ACL allow SSH",
            f => f.CliReachable && f.ConfiguredPortProbe == ProbeOutcome.Open && f.HasRouteToManagement == true && f.StelnetEnabled == true
                 && f.ListeningOnConfiguredPort == true && f.RsaKeyPresent == true && f.AclDeniesManagement != true && f.SshSourceExcludesManagement != true
                 && (f.VtyProtocol is null || f.VtyProtocol.Contains("ssh", StringComparison.OrdinalIgnoreCase) || f.VtyProtocol == "all"),
            _ => Confidence.High,
            f => [$"port {f.ConfiguredPort.ToString(CultureInfo.InvariantCulture)} open via the jump host", .. f.EvidenceOf(S.Listener)]),
    ];

    /// <summary>
    /// The reference case's first stage in one sentence: the switch is alive at L2/L3 towards its
    /// gateway yet silent to the management subnet, because its replies have no path back.
    /// </summary>
    private static IEnumerable<string> UnreachableStage(DiagnosisFacts f)
    {
        if (f.Probes.Count > 0 && f.Probes.Values.All(p => p.Outcome == ProbeOutcome.Timeout) && f.GatewayArpPresent == true && f.GatewayPingOk == true)
        {
            yield return f.CliPath?.Kind == AccessPathKind.Console
                ? "no TCP answer from the management subnet, gateway has ARP and ping answers, the switch has no route back (CLI reached over the console)"
                : "no TCP answer from the management subnet, gateway has ARP and ping answers, the switch has no route back";
        }
    }

    private static bool AllTimedOut(DiagnosisFacts f) => f.Probes.Count > 0 && f.Probes.Values.All(p => p.Outcome == ProbeOutcome.Timeout);

    /// <summary>A shut management interface in one sentence: deaf at L2 to its gateway, alive on the console.</summary>
    private static IEnumerable<string> ShutInterfaceStage(DiagnosisFacts f)
    {
        if (AllTimedOut(f) && f.GatewayArpPresent == false && f.CliPath?.Kind == AccessPathKind.Console)
        {
            yield return $"no TCP answer from the management subnet, gateway has no ARP entry, the console works: {f.ManagementInterface ?? "the management interface"} is shut down";
        }
    }

    /// <summary>A packet filter in one sentence: alive at L2/L3 towards the gateway, silent (no RST) to the management subnet.</summary>
    private static IEnumerable<string> FilteredStage(DiagnosisFacts f)
    {
        if (AllTimedOut(f) && f.GatewayArpPresent == true && f.GatewayPingOk == true)
        {
            yield return $"no TCP answer from the management subnet (timeouts, not RST), gateway has ARP and ping answers, the packet filter on {f.ManagementInterface ?? "the management interface"} drops the management subnet";
        }
    }

    /// <summary>
    /// Fires the table. A stopping rule wins alone; otherwise every fault rule that holds is kept (one
    /// finding per root cause, first rule wins), and "healthy" only stands when no fault fired.
    /// </summary>
    public static IReadOnlyList<RootCauseFinding> Evaluate(DiagnosisFacts facts, IReadOnlyList<DiagnosisRule>? rules = null)
    {
        var fired = (rules ?? All).Where(r => r.When(facts)).ToList();
        var stopping = fired.Where(r => r.Stops).ToList();
        if (stopping.Count > 0)
        {
            fired = stopping;
        }
        else if (fired.Any(r => r.Cause != SshUnreachableCauses.Healthy))
        {
            fired = fired.Where(r => r.Cause != SshUnreachableCauses.Healthy).ToList();
        }

        return fired
            .GroupBy(r => r.Cause)
            .Select(g => g.First())
            .Select(r => new RootCauseFinding(r.Cause, r.Id, r.Confidence(facts), r.Evidence(facts)) { KeyEvidence = SshUnreachableKeyEvidence.For(r.Cause, facts) })
            .ToList();
    }
}
