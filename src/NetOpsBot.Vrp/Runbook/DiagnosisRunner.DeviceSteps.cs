using System.Globalization;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Net;

namespace NetOpsBot.Vrp.Runbook;

public sealed partial class DiagnosisRunner
{
    private const int MaxEvidenceLines = 8;

    private async Task<StepOutcome> RoutingAsync(RunContext run, IDeviceCliSession session, StepLog log)
    {
        var result = await RunCommandAsync(run, session, log, VrpCommands.RoutingTable).ConfigureAwait(false);
        var parsed = RoutingTableParser.Parse(result.Output);
        if (!parsed.IsParsed)
        {
            return Unparsed(result, parsed.Reason);
        }

        var mgmt = options.ManagementSubnet;
        var covering = parsed.Value!.Routes
            .Where(r => r.Active && !r.IsBlackHole && Ipv4.TryParseStrict(r.Prefix, out var p) && r.PrefixLength is >= 0 and <= 32 && Ipv4Prefix.Create(p, r.PrefixLength).Covers(mgmt))
            .OrderByDescending(r => r.PrefixLength)
            .FirstOrDefault();
        run.Facts.HasRouteToManagement = covering is not null;
        if (covering is not null)
        {
            return WithWarnings(new StepOutcome(StepStatus.Ok, $"Route back to {mgmt}: {covering.Destination} via {covering.NextHop} ({covering.Interface})", [RouteLine(covering)]), VrpCommands.RoutingTable, parsed.Warnings);
        }

        var evidence = new List<string> { $"no default route and no route covering {mgmt}; routes present:" };
        evidence.AddRange(parsed.Value.Routes.Take(MaxEvidenceLines).Select(RouteLine));
        // A shut management interface takes its connected route and every route through it away: the missing
        // route is then a consequence, and the interface is what to fix.
        if (await ManagementInterfaceAsync(run, session, log).ConfigureAwait(false) is { } state)
        {
            evidence.Add(state);
            if (run.Facts.ManagementInterfaceDown == true)
            {
                return WithWarnings(new StepOutcome(StepStatus.Fail, $"No route to {mgmt}: the management interface {run.Facts.ManagementInterface} is administratively down", evidence), VrpCommands.RoutingTable, parsed.Warnings);
            }
        }

        return WithWarnings(new StepOutcome(StepStatus.Fail, $"No default route and no route to {mgmt}: replies to the management subnet have no path", evidence), VrpCommands.RoutingTable, parsed.Warnings);
    }

    private async Task<StepOutcome> ServiceAsync(RunContext run, IDeviceCliSession session, StepLog log)
    {
        var result = await RunCommandAsync(run, session, log, VrpCommands.SshServerStatus).ConfigureAwait(false);
        var parsed = SshServerStatusParser.Parse(result.Output);
        if (!parsed.IsParsed)
        {
            return Unparsed(result, parsed.Reason);
        }

        var status = parsed.Value!;
        run.Facts.StelnetEnabled = status.StelnetEnabled;
        if (status.Port is int port)
        {
            run.Facts.ConfiguredPort = port;
        }

        var evidence = Lines(result.Output, l => l.Contains("stelnet", StringComparison.OrdinalIgnoreCase) || l.Contains("server port", StringComparison.OrdinalIgnoreCase));
        var portText = run.Facts.ConfiguredPort.ToString(CultureInfo.InvariantCulture);
        var outcome = status.StelnetEnabled switch
        {
            true => new StepOutcome(StepStatus.Ok, $"STelnet server enabled, SSH port {portText}", evidence),
            false => new StepOutcome(StepStatus.Fail, "STelnet (SSH) server is disabled", evidence),
            null => new StepOutcome(StepStatus.Warn, "STelnet server state not shown by this release", evidence),
        };
        return WithWarnings(outcome, VrpCommands.SshServerStatus, parsed.Warnings);
    }

    private async Task<StepOutcome> ListenerAsync(RunContext run, IDeviceCliSession session, StepLog log)
    {
        var result = await RunCommandAsync(run, session, log, VrpCommands.TcpStatus).ConfigureAwait(false);
        var parsed = TcpStatusParser.Parse(result.Output);
        if (!parsed.IsParsed)
        {
            return Unparsed(result, parsed.Reason);
        }

        var facts = run.Facts;
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

    /// <summary>
    /// Turns SSH debugging on, makes the jump host attempt a connection, and counts SSH debug lines: none
    /// while the attempt is refused means the rejection happens below SSH (the reference case).
    /// Debugging is always switched off again, even when the step fails.
    /// </summary>
    private async Task<StepOutcome> SshDebugAsync(RunContext run, IDeviceCliSession session, StepLog log)
    {
        var facts = run.Facts;
        string lines;
        TcpProbeResult probe;
        DebugCapture capture;
        try
        {
            var debugOn = new List<CliResult>
            {
                await RunCommandAsync(run, session, log, VrpCommands.TerminalMonitor).ConfigureAwait(false),
                await RunCommandAsync(run, session, log, VrpCommands.TerminalDebugging).ConfigureAwait(false),
                await RunCommandAsync(run, session, log, VrpCommands.DebugSsh).ConfigureAwait(false),
            };
            probe = await ProbeQuietlyAsync(run, facts.ConfiguredPort).ConfigureAwait(false);
            log.Note($"connection attempt to {probe.Port.ToString(CultureInfo.InvariantCulture)}: {Describe(probe.Outcome)}");
            var attemptPort = probe.Port;
            capture = await CaptureDebugLinesAsync(run, session, probe, DebugQuietFor(debugOn), text => AttemptLines(text, attemptPort).Count > 0).ConfigureAwait(false);
            lines = capture.Lines;
            log.Note(capture.Describe());
            log.Note("collected asynchronous lines:");
            log.Note(lines);
        }
        finally
        {
            await UndoDebugAsync(run, session, log).ConfigureAwait(false);
        }

        var parsed = SshDebugLogParser.Parse(lines);
        var (ssh, other, otherPorts) = SshDebugAttribution.Split(parsed.IsParsed ? parsed.Value!.Entries.Where(e => e.IsSsh) : [], probe.Port);
        facts.SshDebugLineCount = ssh.Count;
        facts.DebugProbeOutcome = probe.Outcome;
        var port = facts.ConfiguredPort.ToString(CultureInfo.InvariantCulture);
        var evidence = new List<string> { $"attempt to port {port}: {Describe(probe.Outcome)}", $"SSH debug lines during the attempt: {ssh.Count.ToString(CultureInfo.InvariantCulture)}", capture.Describe() };
        if (other.Count > 0)
        {
            evidence.Add($"not counted: {other.Count.ToString(CultureInfo.InvariantCulture)} SSH debug lines of another connection (server port {string.Join(", ", otherPorts)}), not the attempt");
        }

        evidence.AddRange(ssh.Take(MaxEvidenceLines - 3).Select(e => $"{e.Module}/{e.Level}/{e.Brief}: {e.Message}"));
        if (ssh.Count > 0)
        {
            return new StepOutcome(StepStatus.Ok, $"{ssh.Count} SSH debug lines: the attempt reached the SSH server", evidence);
        }

        return probe.Outcome == ProbeOutcome.Refused
            ? new StepOutcome(StepStatus.Warn, $"Zero SSH debug lines while port {port} refused the attempt: rejected at the TCP layer, before SSH", evidence)
            : new StepOutcome(StepStatus.Warn, $"Zero SSH debug lines during the attempt (port {port} {Describe(probe.Outcome)})", evidence);
    }

    /// <summary>The SSH debug lines in <paramref name="text"/> that belong to the attempt on <paramref name="port"/>.</summary>
    private static List<VrpLogEntry> AttemptLines(string text, int port)
    {
        var parsed = SshDebugLogParser.Parse(text);
        return parsed.IsParsed ? SshDebugAttribution.Split(parsed.Value!.Entries.Where(e => e.IsSsh), port).Attempt : [];
    }

    private async Task UndoDebugAsync(RunContext run, IDeviceCliSession session, StepLog log)
    {
        try
        {
            await RunCommandAsync(run, session, log, VrpCommands.UndoDebugAll).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or DeviceAccessException or OperationCanceledException)
        {
            // Debugging left on is a nuisance the engineer must know about, not a reason to lose the step.
            log.Note($"'{VrpCommands.UndoDebugAll}' failed: {ex.Message}; debugging may still be on");
        }
    }

    private async Task<StepOutcome> HardeningAsync(RunContext run, IDeviceCliSession session, StepLog log)
    {
        var facts = run.Facts;
        var problems = new List<string>();
        var evidence = new List<string>();
        var unparsed = new List<string>();
        var warnings = new List<string>();

        var rsaResult = await RunCommandAsync(run, session, log, VrpCommands.RsaPublic).ConfigureAwait(false);
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

        var cfgResult = await RunCommandAsync(run, session, log, VrpCommands.CurrentConfiguration).ConfigureAwait(false);
        var cfg = CurrentConfigurationParser.Parse(cfgResult.Output);
        warnings.AddRange(cfg.Warnings.Select(w => $"{VrpCommands.CurrentConfiguration}: {w}"));
        if (cfg.IsParsed)
        {
            EvaluateConfiguration(cfg.Value!, facts, problems, evidence);
            EvaluateTrafficFilter(run, cfg.Value!, problems, evidence);
            await EvaluateSshSourceAsync(run, session, log, cfg.Value!, problems, evidence).ConfigureAwait(false);
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
    private async Task EvaluateSshSourceAsync(RunContext run, IDeviceCliSession session, StepLog log, CurrentConfiguration cfg, List<string> problems, List<string> evidence)
    {
        var facts = run.Facts;
        facts.SshSourceInterfaces = cfg.SshSourceInterfaces;
        // Nothing stated, or every interface admitted: no restriction to report.
        if (cfg.SshSourceInterfaces.Count == 0 && cfg.SshSourceAllInterfaces != false)
        {
            facts.SshSourceExcludesManagement = false;
            return;
        }

        var ip = run.Device.ManagementIp.ToString();
        var mgmt = cfg.InterfaceHolding(ip);
        if (mgmt is null && cfg.SshSourceAllInterfaces != true)
        {
            var brief = await RunCommandAsync(run, session, log, VrpCommands.IpInterfaceBrief).ConfigureAwait(false);
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

    private void EvaluateConfiguration(CurrentConfiguration cfg, DiagnosisFacts facts, List<string> problems, List<string> evidence)
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

        var source = options.JumpHostIp ?? options.ManagementSubnet.FirstHost;
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
    internal static StepOutcome WithWarnings(StepOutcome outcome, string? command, IReadOnlyList<string> warnings)
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
}
