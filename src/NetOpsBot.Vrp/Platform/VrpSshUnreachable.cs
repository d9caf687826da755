using System.Globalization;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Net;
using NetOpsBot.Core.Platforms;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Runbooks.SshUnreachable;
using NetOpsBot.Vrp.Diagnosis;
using NetOpsBot.Vrp.Remediation;

namespace NetOpsBot.Vrp.Platform;

/// <summary>
/// The ssh-unreachable runbook's device steps in VRP commands, read by the VRP parsers into the facts the runbook's
/// rules read. The runbook (its engine) keeps the order, the access path, the probes, the timeouts and the rules.
/// </summary>
internal sealed partial class VrpSshUnreachable : ISshUnreachableCollector, ISshUnreachableGatewayChecks
{
    private const int MaxEvidenceLines = 8;

    public IReadOnlyList<string> SessionSetupCommands { get; } = [VrpCommands.ScreenLength];

    public ISshUnreachableGatewayChecks? GatewayChecks => this;

    public IReadOnlyList<string> DebugOnCommands { get; } = [VrpCommands.TerminalMonitor, VrpCommands.TerminalDebugging, VrpCommands.DebugSsh];

    public IReadOnlyList<string> DebugOffCommands { get; } = [VrpCommands.UndoDebugAll];

    public Task<CollectedStep> RoutingAsync(DeviceCommandRunner run, SshUnreachableTarget target, CancellationToken cancellationToken) =>
        StepAsync(target, facts => RoutingAsync(run, target, facts));

    public Task<CollectedStep> ServiceAsync(DeviceCommandRunner run, SshUnreachableTarget target, CancellationToken cancellationToken) =>
        StepAsync(target, facts => ServiceAsync(run, facts));

    public Task<CollectedStep> ListenerAsync(DeviceCommandRunner run, SshUnreachableTarget target, CancellationToken cancellationToken) =>
        StepAsync(target, facts => ListenerAsync(run, facts));

    public Task<CollectedStep> HardeningAsync(DeviceCommandRunner run, SshUnreachableTarget target, CancellationToken cancellationToken) =>
        StepAsync(target, facts => HardeningAsync(run, target, facts));

    public SshDebugLines? ReadSshDebug(string asyncLines, int attemptPort)
    {
        // Output VRP's parser cannot read counts as no SSH line (the finding then rests on the probe).
        var parsed = SshDebugLogParser.Parse(asyncLines);
        var (ssh, other, otherPorts) = SshDebugAttribution.Split(parsed.IsParsed ? parsed.Value!.Entries.Where(e => e.IsSsh) : [], attemptPort);
        return new SshDebugLines(ssh.Select(e => $"{e.Module}/{e.Level}/{e.Brief}: {e.Message}").ToList(), other.Count, otherPorts);
    }

    public IReadOnlyList<RemediationPlan> PlansFor(RootCause cause, SshUnreachableFacts facts, SshUnreachableTarget target, int configApproversRequired) =>
        SshUnreachableRemediations.ForCause(cause, facts, target, configApproversRequired).ToList();

    private static async Task<CollectedStep> StepAsync(SshUnreachableTarget target, Func<Learned, Task<StepOutcome>> step)
    {
        ArgumentNullException.ThrowIfNull(target);
        var facts = new Learned(target);
        var outcome = await step(facts).ConfigureAwait(false);
        return new CollectedStep(outcome.Status, outcome.Finding, outcome.Evidence, facts.ToFacts());
    }

    private static async Task<StepOutcome> RoutingAsync(DeviceCommandRunner run, SshUnreachableTarget target, Learned facts)
    {
        var result = await run(VrpCommands.RoutingTable).ConfigureAwait(false);
        var parsed = RoutingTableParser.Parse(result.Output);
        if (!parsed.IsParsed)
        {
            return Unparsed(result, parsed.Reason);
        }

        var mgmt = target.ManagementSubnet;
        var covering = parsed.Value!.Routes
            .Where(r => r.Active && !r.IsBlackHole && Ipv4.TryParseStrict(r.Prefix, out var p) && r.PrefixLength is >= 0 and <= 32 && Ipv4Prefix.Create(p, r.PrefixLength).Covers(mgmt))
            .OrderByDescending(r => r.PrefixLength)
            .FirstOrDefault();
        facts.HasRouteToManagement = covering is not null;
        if (covering is not null)
        {
            return WithWarnings(new StepOutcome(StepStatus.Ok, $"Route back to {mgmt}: {covering.Destination} via {covering.NextHop} ({covering.Interface})", [RouteLine(covering)]), VrpCommands.RoutingTable, parsed.Warnings);
        }

        var evidence = new List<string> { $"no default route and no route covering {mgmt}; routes present:" };
        evidence.AddRange(parsed.Value.Routes.Take(MaxEvidenceLines).Select(RouteLine));
        // A shut management interface takes its connected route and every route through it away: the missing
        // route is then a consequence, and the interface is what to fix.
        if (await ManagementInterfaceAsync(run, target, facts).ConfigureAwait(false) is { } state)
        {
            evidence.Add(state);
            if (facts.ManagementInterfaceDown == true)
            {
                return WithWarnings(new StepOutcome(StepStatus.Fail, $"No route to {mgmt}: the management interface {facts.ManagementInterface} is administratively down", evidence), VrpCommands.RoutingTable, parsed.Warnings);
            }
        }

        return WithWarnings(new StepOutcome(StepStatus.Fail, $"No default route and no route to {mgmt}: replies to the management subnet have no path", evidence), VrpCommands.RoutingTable, parsed.Warnings);
    }

    private static async Task<StepOutcome> ServiceAsync(DeviceCommandRunner run, Learned facts)
    {
        var result = await run(VrpCommands.SshServerStatus).ConfigureAwait(false);
        var parsed = SshServerStatusParser.Parse(result.Output);
        if (!parsed.IsParsed)
        {
            return Unparsed(result, parsed.Reason);
        }

        var status = parsed.Value!;
        facts.StelnetEnabled = status.StelnetEnabled;
        if (status.Port is int port)
        {
            facts.ConfiguredPort = port;
        }

        var evidence = Lines(result.Output, l => l.Contains("stelnet", StringComparison.OrdinalIgnoreCase) || l.Contains("server port", StringComparison.OrdinalIgnoreCase));
        var portText = facts.ConfiguredPort.ToString(CultureInfo.InvariantCulture);
        var outcome = status.StelnetEnabled switch
        {
            true => new StepOutcome(StepStatus.Ok, $"STelnet server enabled, SSH port {portText}", evidence),
            false => new StepOutcome(StepStatus.Fail, "STelnet (SSH) server is disabled", evidence),
            null => new StepOutcome(StepStatus.Warn, "STelnet server state not shown by this release", evidence),
        };
        return WithWarnings(outcome, VrpCommands.SshServerStatus, parsed.Warnings);
    }

    private static async Task<StepOutcome> ListenerAsync(DeviceCommandRunner run, Learned facts)
    {
        var result = await run(VrpCommands.TcpStatus).ConfigureAwait(false);
        var parsed = TcpStatusParser.Parse(result.Output);
        if (!parsed.IsParsed)
        {
            return Unparsed(result, parsed.Reason);
        }

        facts.ListeningPorts = parsed.Value!.ListeningPorts;
        var port = facts.ConfiguredPort.ToString(CultureInfo.InvariantCulture);
        var evidence = Lines(result.Output, l => l.StartsWith("TCPCB", StringComparison.Ordinal) || l.StartsWith("Cid", StringComparison.Ordinal) || l.Contains("listen", StringComparison.OrdinalIgnoreCase));
        if (facts.ListeningOnConfiguredPort == true)
        {
            return WithWarnings(new StepOutcome(StepStatus.Ok, $"Listening on port {port}", evidence), VrpCommands.TcpStatus, parsed.Warnings);
        }

        var ghosts = facts.GhostPorts;
        return WithWarnings(
            ghosts.Count > 0
                ? new StepOutcome(StepStatus.Fail, $"Nothing listens on port {port}; listener on unexpected port {string.Join(", ", ghosts)} (ghost port)", evidence)
                : new StepOutcome(StepStatus.Fail, $"Nothing listens on port {port}", evidence),
            VrpCommands.TcpStatus,
            parsed.Warnings);
    }

    private static async Task<StepOutcome> HardeningAsync(DeviceCommandRunner run, SshUnreachableTarget target, Learned facts)
    {
        var problems = new List<string>();
        var evidence = new List<string>();
        var unparsed = new List<string>();
        var warnings = new List<string>();

        var rsaResult = await run(VrpCommands.RsaPublic).ConfigureAwait(false);
        var rsa = RsaLocalKeyPairParser.Parse(rsaResult.Output);
        warnings.AddRange(rsa.Warnings.Select(w => $"{VrpCommands.RsaPublic}: {w}"));
        if (rsa.IsParsed)
        {
            facts.RsaKeyPresent = rsa.Value!.KeyPresent;
            var key = rsa.Value.Keys.Count > 0 ? rsa.Value.Keys[0] : null;
            evidence.Add(rsa.Value.KeyPresent ? $"RSA key present: {key?.KeyName ?? key?.Title ?? "host"} {key?.ModulusBits?.ToString(CultureInfo.InvariantCulture) ?? "?"} bits" : "RSA key: " + rsa.Value.AbsenceMessage);
            if (!rsa.Value.KeyPresent)
            {
                problems.Add("no RSA host key");
            }
        }
        else
        {
            unparsed.Add($"{VrpCommands.RsaPublic}: {rsa.Reason}");
        }

        var cfgResult = await run(VrpCommands.CurrentConfiguration).ConfigureAwait(false);
        var cfg = CurrentConfigurationParser.Parse(cfgResult.Output);
        warnings.AddRange(cfg.Warnings.Select(w => $"{VrpCommands.CurrentConfiguration}: {w}"));
        if (cfg.IsParsed)
        {
            EvaluateConfiguration(target, cfg.Value!, facts, problems, evidence);
            EvaluateTrafficFilter(target, facts, cfg.Value!, problems, evidence);
            await EvaluateSshSourceAsync(run, target, facts, cfg.Value!, problems, evidence).ConfigureAwait(false);
        }
        else
        {
            unparsed.Add($"{VrpCommands.CurrentConfiguration}: {cfg.Reason}");
        }

        evidence.AddRange(unparsed.Select(u => "not understood: " + u));
        if (problems.Count > 0)
        {
            return WithWarnings(new StepOutcome(StepStatus.Fail, Capitalize(string.Join("; ", problems)), evidence), null, warnings);
        }

        if (unparsed.Count == 2)
        {
            return WithWarnings(new StepOutcome(StepStatus.Error, "Could not parse the RSA key or the configuration output", evidence), null, warnings);
        }

        return WithWarnings(
            facts.TelnetServerEnabled == true || unparsed.Count > 0
                ? new StepOutcome(StepStatus.Warn, unparsed.Count > 0 ? "Partly not understood; no blocking finding" : "Telnet server is enabled (insecure) but SSH is not blocked", evidence)
                : new StepOutcome(StepStatus.Ok, "RSA key present, VTY accepts SSH, no ACL blocks the management subnet", evidence),
            null,
            warnings);
    }

    /// <summary>
    /// "ssh server-source -i X" lets SSH in only on X: find the interface holding the management address (the
    /// configuration, else "display ip interface brief") and say whether the source list leaves it out.
    /// </summary>
    private static async Task EvaluateSshSourceAsync(DeviceCommandRunner run, SshUnreachableTarget target, Learned facts, CurrentConfiguration cfg, List<string> problems, List<string> evidence)
    {
        facts.SshSourceInterfaces = cfg.SshSourceInterfaces;
        // Nothing stated, or every interface admitted: no restriction to report.
        if (cfg.SshSourceInterfaces.Count == 0 && cfg.SshSourceAllInterfaces != false)
        {
            facts.SshSourceExcludesManagement = false;
            return;
        }

        var ip = target.Device.ManagementIp.ToString();
        var mgmt = cfg.InterfaceHolding(ip);
        if (mgmt is null && cfg.SshSourceAllInterfaces != true)
        {
            var brief = await run(VrpCommands.IpInterfaceBrief).ConfigureAwait(false);
            mgmt = IpInterfaceBriefParser.Parse(brief.Output).FirstOrDefault(r => r.Address?.ToString() == ip)?.Interface;
        }

        facts.ManagementInterface = mgmt ?? facts.ManagementInterface;
        var answers = cfg.SshAnswersOn(mgmt);
        facts.SshSourceExcludesManagement = answers is null ? null : !answers.Value;
        var list = cfg.SshSourceInterfaces.Count == 0 ? "no interface" : string.Join(", ", cfg.SshSourceInterfaces);
        var all = cfg.SshSourceAllInterfaces switch { true => "all-interface on", false => "all-interface undone", null => "all-interface not stated" };
        evidence.Add($"ssh server-source: {list} ({all})");
        evidence.Add(mgmt is null ? $"management interface: none holds {ip}" : $"management interface: {mgmt} holds {ip}");
        if (answers == false)
        {
            problems.Add(mgmt is null
                ? $"ssh server-source admits {list}, not the management address {ip}"
                : $"ssh server-source admits {list}, not the management interface {mgmt}");
        }
    }

    private static void EvaluateConfiguration(SshUnreachableTarget target, CurrentConfiguration cfg, Learned facts, List<string> problems, List<string> evidence)
    {
        facts.StelnetEnabled ??= cfg.StelnetServerEnabled;
        facts.TelnetServerEnabled = cfg.TelnetServerEnabled;
        if (cfg.TelnetServerEnabled == true)
        {
            evidence.Add("telnet server enable");
        }

        // A login takes the lowest idle VTY line, so the block holding line 0 decides what SSH meets first; a fix
        // must cover every line in service (0..maximum-vty-1), not only the block that happened to be configured.
        var vtys = cfg.Vty.ToList();
        var inService = cfg.VtyLinesInService;
        var vty = vtys.Find(v => v.Covers(0) && v.ProtocolInbound is not null)
                  ?? vtys.Find(v => v.ProtocolInbound is not null && v.First < inService)
                  ?? vtys.Find(v => v.ProtocolInbound is not null)
                  ?? (vtys.Count > 0 ? vtys[0] : null);
        if (cfg.MaximumVty is int max)
        {
            evidence.Add(max == 0
                ? "user-interface maximum-vty 0: no VTY line takes logins"
                : $"user-interface maximum-vty {max.ToString(CultureInfo.InvariantCulture)}: VTY 0-{(max - 1).ToString(CultureInfo.InvariantCulture)} take logins");
            if (max == 0)
            {
                problems.Add("user-interface maximum-vty 0: no VTY line accepts SSH or Telnet logins");
            }
        }

        if (vty is not null)
        {
            facts.VtyRange = cfg.MaximumVty is int m and > 0 && vty.First == 0 && vty.Last < m - 1
                ? "0 " + (m - 1).ToString(CultureInfo.InvariantCulture)
                : vty.Range;
            facts.VtyProtocol = vty.ProtocolInbound;
            evidence.Add($"user-interface vty {vty.Range}: protocol inbound {vty.ProtocolInbound ?? "(default)"}{(vty.AclInbound is null ? string.Empty : ", acl " + vty.AclInbound + " inbound")}");
            if (vty.ProtocolInbound is { } p && !p.Contains("ssh", StringComparison.OrdinalIgnoreCase) && p != "all")
            {
                problems.Add($"VTY {vty.Range} accepts only '{p}'");
            }
        }

        var source = target.ManagementHost;
        var refs = cfg.Vty.Where(v => v.AclInbound is not null).Select(v => v.AclInbound!).ToList();
        if (cfg.SshServerAcl is not null)
        {
            refs.Add(cfg.SshServerAcl);
        }

        facts.AclDeniesManagement = false;
        foreach (var aclRef in refs.Distinct(StringComparer.Ordinal))
        {
            var verdict = AclEvaluator.Evaluate(aclRef, cfg.Acls, source);
            if (verdict.Permitted)
            {
                continue;
            }

            facts.AclDeniesManagement = true;
            facts.DenyingAcl ??= verdict;
            problems.Add(verdict.Reason);
            evidence.Add($"acl {aclRef}:");
            evidence.AddRange(verdict.Rules.Take(MaxEvidenceLines).Select(r => "  " + r.Text));
        }
    }

    /// <summary>
    /// Puts every parser warning on the step as a "Warn:" evidence line, and turns an Ok step into a Warn: a count
    /// that disagrees or a line nobody understood means the finding may rest on part of the output.
    /// </summary>
    private static StepOutcome WithWarnings(StepOutcome outcome, string? command, IReadOnlyList<string> warnings)
    {
        if (warnings.Count == 0)
        {
            return outcome;
        }

        var evidence = outcome.Evidence.Concat(warnings.Select(w => "Warn: " + (command is null ? w : command + ": " + w))).ToList();
        var n = warnings.Count.ToString(CultureInfo.InvariantCulture);
        return outcome.Status == StepStatus.Ok
            ? new StepOutcome(StepStatus.Warn, $"{outcome.Finding} (output partly not understood: {n} parser warning{(warnings.Count == 1 ? string.Empty : "s")})", evidence)
            : outcome with { Evidence = evidence };
    }

    private static StepOutcome Unparsed(CliResult result, string? reason) => new(
        StepStatus.Error,
        result.ErrorLine is not null ? $"Device rejected '{result.Command}': {result.ErrorLine}" : $"Output of '{result.Command}' not understood: {reason}",
        VrpOutputCleaner.SplitLines(result.Output).Where(l => l.Length > 0).Take(3).ToList());

    private static List<string> Lines(string output, Func<string, bool> keep) =>
        VrpOutputCleaner.SplitLines(output).Select(l => l.Trim()).Where(l => l.Length > 0 && keep(l)).Take(MaxEvidenceLines).ToList();

    private static string RouteLine(Route r) => $"{r.Destination} {r.Protocol} {r.NextHop} {r.Interface}";

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private sealed record StepOutcome(StepStatus Status, string Finding, IReadOnlyList<string> Evidence);

    /// <summary>The VRP ACL verdicts a plan quotes and renumbers (opaque to the runbook).</summary>
    internal sealed record AclDetail(AclVerdict? DenyingAcl, AclVerdict? InterfaceAcl);

    /// <summary>
    /// What one VRP step learns, written as the steps always wrote it; a step that refines an earlier fact (the
    /// management interface, the STelnet state) starts from what the run already knows.
    /// </summary>
    private sealed class Learned(SshUnreachableTarget target)
    {
        public int ConfiguredPort { get; set; } = target.ConfiguredPort;

        public bool? HasRouteToManagement { get; set; }

        public bool? StelnetEnabled { get; set; } = target.Known.StelnetEnabled;

        public IReadOnlyList<int>? ListeningPorts { get; set; }

        public bool? RsaKeyPresent { get; set; }

        public string? VtyProtocol { get; set; }

        public string? VtyRange { get; set; }

        public bool? TelnetServerEnabled { get; set; }

        public bool? AclDeniesManagement { get; set; }

        public string? ManagementInterface { get; set; } = target.Known.ManagementInterface;

        public IReadOnlyList<string>? SshSourceInterfaces { get; set; }

        public bool? SshSourceExcludesManagement { get; set; }

        public AclVerdict? DenyingAcl { get; set; }

        public bool? ManagementInterfaceDown { get; set; }

        public bool? InterfaceAclDeniesManagement { get; set; }

        public AclVerdict? InterfaceAcl { get; set; }

        public IReadOnlyList<string>? InterfaceAclEvidence { get; set; }

        public bool? ListeningOnConfiguredPort => ListeningPorts?.Contains(ConfiguredPort);

        /// <summary>Listeners that are neither the configured SSH port nor a known service: the "ghost port".</summary>
        public IReadOnlyList<int> GhostPorts => ListeningPorts is null
            ? []
            : ListeningPorts.Where(p => p != ConfiguredPort && !target.KnownServicePorts.Contains(p)).ToList();

        public SshUnreachableFacts ToFacts() => new()
        {
            ConfiguredPort = ConfiguredPort,
            HasRouteToManagement = HasRouteToManagement,
            StelnetEnabled = StelnetEnabled,
            ListeningPorts = ListeningPorts,
            RsaKeyPresent = RsaKeyPresent,
            VtyProtocol = VtyProtocol,
            VtyRange = VtyRange,
            TelnetServerEnabled = TelnetServerEnabled,
            AclDeniesManagement = AclDeniesManagement,
            DenyingAclName = DenyingAcl?.AclRef,
            ManagementInterface = ManagementInterface,
            ManagementInterfaceDown = ManagementInterfaceDown,
            SshSourceInterfaces = SshSourceInterfaces,
            SshSourceExcludesManagement = SshSourceExcludesManagement,
            InterfaceAclDeniesManagement = InterfaceAclDeniesManagement,
            InterfaceAclEvidence = InterfaceAclEvidence,
            InterfaceAclName = InterfaceAcl?.AclRef,
            PlatformDetail = DenyingAcl is null && InterfaceAcl is null ? null : new AclDetail(DenyingAcl, InterfaceAcl),
        };
    }
}
