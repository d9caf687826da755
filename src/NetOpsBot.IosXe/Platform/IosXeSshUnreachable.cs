using System.Globalization;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Platforms;
using NetOpsBot.Core.Remediation;
using NetOpsBot.IosXe.Remediation;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.IosXe.Platform;

/// <summary>
/// The ssh-unreachable runbook's device steps in IOS-XE commands, read by the IOS-XE parsers into the facts the
/// runbook's rules read (<see cref="IosXeFactReader"/>). Read-only commands only; every one is a constant.
/// </summary>
internal sealed class IosXeSshUnreachable : ISshUnreachableCollector
{
    internal const string ShowIpRoute = "show ip route";
    internal const string ShowIpSsh = "show ip ssh";
    internal const string ShowTcpBriefAll = "show tcp brief all";
    internal const string ShowOpenPorts = "show control-plane host open-ports";
    internal const string ShowCryptoKey = "show crypto key mypubkey rsa";
    internal const string ShowRunningConfig = "show running-config";

    private const int MaxEvidenceLines = 8;

    /// <summary>None: the IOS-XE session turns paging off in its own dialect when it opens.</summary>
    public IReadOnlyList<string> SessionSetupCommands { get; } = [];

    /// <summary>Null: ARP and ping from an IOS-XE gateway are not implemented yet; the gateway step says so.</summary>
    public ISshUnreachableGatewayChecks? GatewayChecks => null;

    public IReadOnlyList<string> DebugOnCommands { get; } = ["terminal monitor", "debug ip ssh"];

    public IReadOnlyList<string> DebugOffCommands { get; } = ["undebug all", "terminal no monitor"];

    public async Task<CollectedStep> RoutingAsync(DeviceCommandRunner run, SshUnreachableTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(target);
        var result = await run(ShowIpRoute).ConfigureAwait(false);
        var parsed = ShowIpRouteParser.Parse(result.Output);
        if (!parsed.IsParsed)
        {
            return Unparsed(ShowIpRoute, parsed.Reason);
        }

        var table = parsed.Value!;
        var mgmt = target.ManagementSubnet;
        var covering = table.RouteTo(target.ManagementHost);
        var facts = new SshUnreachableFacts { HasRouteToManagement = covering is not null };
        if (covering is not null)
        {
            return WithWarnings(new CollectedStep(StepStatus.Ok, $"Route back to {mgmt}: {RouteLine(covering)}", [RouteLine(covering)], facts), ShowIpRoute, parsed.Warnings);
        }

        var evidence = new List<string> { $"no default route and no route covering {mgmt}; routes present:" };
        evidence.AddRange(table.Routes.Take(MaxEvidenceLines).Select(RouteLine));

        // A shut management interface takes its connected route and every route through it away: the missing route is
        // then a consequence, and the interface is what to fix (as on VRP). Read only when the route is missing.
        var (ifc, down, state, configWarnings) = await ManagementInterfaceAsync(run, target).ConfigureAwait(false);
        facts = facts with { ManagementInterface = ifc, ManagementInterfaceDown = down };
        evidence.AddRange(configWarnings.Select(w => $"parser warning ({ShowRunningConfig}): {w}"));
        if (state is not null)
        {
            evidence.Add(state);
        }

        var finding = down == true
            ? $"No route to {mgmt}: the management interface {ifc} is administratively down"
            : $"No default route and no route to {mgmt}: replies to the management subnet have no path";
        return WithWarnings(new CollectedStep(StepStatus.Fail, finding, evidence, facts), ShowIpRoute, parsed.Warnings);
    }

    /// <summary>
    /// The interface holding the device's management address in "show running-config" and whether it is shut ("shutdown"
    /// in its block: IOS prints no line for an interface that is up). All null when the configuration does not say.
    /// </summary>
    private static async Task<(string? Interface, bool? Down, string? State, IReadOnlyList<string> Warnings)> ManagementInterfaceAsync(DeviceCommandRunner run, SshUnreachableTarget target)
    {
        var result = await run(ShowRunningConfig).ConfigureAwait(false);
        var cfg = RunningConfigParser.Parse(result.Output);
        var ip = target.Device.ManagementIp.ToString();
        if (!cfg.IsParsed || cfg.Value!.InterfaceHolding(ip) is not { } name)
        {
            return (null, null, null, cfg.Warnings);
        }

        var down = cfg.Value.ShutdownInterfaces.Contains(name, StringComparer.Ordinal);
        var state = $"interface {name} holds {ip}" + (down ? ": shutdown (administratively down)" : ": not shut down");
        return (name, down, state, cfg.Warnings);
    }

    public async Task<CollectedStep> ServiceAsync(DeviceCommandRunner run, SshUnreachableTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var result = await run(ShowIpSsh).ConfigureAwait(false);
        var parsed = ShowIpSshParser.Parse(result.Output);
        if (!parsed.IsParsed)
        {
            return Unparsed(ShowIpSsh, parsed.Reason);
        }

        var status = parsed.Value!;
        var evidence = Lines(result.Output, l => l.Contains("SSH", StringComparison.Ordinal) || l.Contains("RSA", StringComparison.Ordinal));

        // IOS has no separate "SSH server on" switch: SSH runs exactly when an RSA key exists. A missing key is the
        // cause (the hardening step reports it); calling the server "disabled" as well would name one fault twice.
        if (status.RsaKeyMissing)
        {
            return WithWarnings(new CollectedStep(StepStatus.Fail, "SSH is disabled because the switch has no RSA key", evidence, new SshUnreachableFacts { RsaKeyPresent = false }), ShowIpSsh, parsed.Warnings);
        }

        var facts = new SshUnreachableFacts { StelnetEnabled = status.Enabled };
        var outcome = status.Enabled
            ? new CollectedStep(StepStatus.Ok, $"SSH enabled (version {status.Version ?? "?"})", evidence, facts)
            : new CollectedStep(StepStatus.Fail, "SSH server is disabled", evidence, facts);
        return WithWarnings(outcome, ShowIpSsh, parsed.Warnings);
    }

    public async Task<CollectedStep> ListenerAsync(DeviceCommandRunner run, SshUnreachableTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(target);
        var result = await run(ShowTcpBriefAll).ConfigureAwait(false);
        var tcp = TcpListenersParser.ParseTcpBrief(result.Output);
        var command = ShowTcpBriefAll;
        IReadOnlyList<string> warnings = tcp.Warnings;
        var ports = IosXeFactReader.ListeningPorts(tcp, null);
        if (ports is null)
        {
            // Releases that hide listeners from "show tcp brief all" still list them here.
            command = ShowOpenPorts;
            result = await run(ShowOpenPorts).ConfigureAwait(false);
            var open = TcpListenersParser.ParseOpenPorts(result.Output);
            warnings = open.Warnings;
            ports = IosXeFactReader.ListeningPorts(null, open);
            if (ports is null)
            {
                return Unparsed(ShowOpenPorts, open.Reason);
            }
        }

        var facts = new SshUnreachableFacts { ListeningPorts = ports };
        var port = target.ConfiguredPort.ToString(CultureInfo.InvariantCulture);
        var evidence = Lines(result.Output, l => l.Contains("LISTEN", StringComparison.OrdinalIgnoreCase));
        var outcome = ports.Contains(target.ConfiguredPort)
            ? new CollectedStep(StepStatus.Ok, $"Listening on port {port}", evidence, facts)
            : new CollectedStep(StepStatus.Fail, $"Nothing listens on port {port}" + (ports.Count > 0 ? $" (listening: {string.Join(", ", ports)})" : string.Empty), evidence, facts);
        return WithWarnings(outcome, command, warnings);
    }

    public async Task<CollectedStep> HardeningAsync(DeviceCommandRunner run, SshUnreachableTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(target);
        var problems = new List<string>();
        var evidence = new List<string>();
        var unparsed = new List<string>();
        var warnings = new List<string>();

        var keysResult = await run(ShowCryptoKey).ConfigureAwait(false);
        var keys = CryptoKeyParser.Parse(keysResult.Output);
        warnings.AddRange(keys.Warnings.Select(w => $"{ShowCryptoKey}: {w}"));
        bool? rsaPresent = null;
        if (keys.IsParsed)
        {
            rsaPresent = keys.Value!.HasUsableRsaKey();
            var key = keys.Value.Keys.FirstOrDefault(k => k.Type.Contains("RSA", StringComparison.OrdinalIgnoreCase));
            evidence.Add(rsaPresent == true ? $"RSA key present: {key?.Name} {key?.ModulusBits?.ToString(CultureInfo.InvariantCulture) ?? "?"} bits" : "RSA key: none usable (show crypto key mypubkey rsa)");
            if (rsaPresent == false)
            {
                problems.Add("no RSA host key");
            }
        }
        else if (!string.IsNullOrWhiteSpace(keysResult.Output))
        {
            unparsed.Add($"{ShowCryptoKey}: {keys.Reason}");
        }
        else
        {
            // IOS prints nothing at all when no key pair exists; "show ip ssh" (the service step) says so in words.
            rsaPresent = false;
            evidence.Add("RSA key: none (show crypto key mypubkey rsa prints nothing)");
            problems.Add("no RSA host key");
        }

        var cfgResult = await run(ShowRunningConfig).ConfigureAwait(false);
        var cfg = RunningConfigParser.Parse(cfgResult.Output);
        warnings.AddRange(cfg.Warnings.Select(w => $"{ShowRunningConfig}: {w}"));
        var vty = IosXeFactReader.Vty(cfg, target.ManagementHost);
        if (cfg.IsParsed)
        {
            foreach (var line in cfg.Value!.Vty)
            {
                evidence.Add($"line vty {line.First} {line.Last}: transport input {(line.TransportInput is null ? "(default)" : string.Join(' ', line.TransportInput))}{(line.AccessClassIn is null ? string.Empty : $", access-class {line.AccessClassIn} in")}");
            }

            if (vty.VtyProtocol is { } p && !p.Contains("ssh", StringComparison.OrdinalIgnoreCase) && !p.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"VTY lines accept '{p}' only, not SSH");
            }

            if (vty.DenyingAcl is { } acl)
            {
                var definition = cfg.Value.AccessList(acl.AclName);
                evidence.AddRange(definition?.Entries.Select(e => $"  access-list {acl.AclName}: {e.Text}") ?? []);
                problems.Add(acl.AclMissing
                    ? $"VTY access-class {acl.AclName} is not defined (denies everything)"
                    : $"VTY access-class {acl.AclName} denies {target.ManagementHost}" + (acl.DecidingEntry is { } d ? $" ({d.Text})" : " (implicit deny)"));
            }
        }
        else
        {
            unparsed.Add($"{ShowRunningConfig}: {cfg.Reason}");
        }

        var facts = new SshUnreachableFacts
        {
            RsaKeyPresent = rsaPresent,
            VtyProtocol = vty.VtyProtocol,
            VtyRange = cfg.IsParsed && cfg.Value!.Vty.Count > 0 ? vty.VtyRange : null,
            TelnetServerEnabled = vty.TelnetServerEnabled,
            AclDeniesManagement = cfg.IsParsed ? vty.AclDeniesManagement : null,
            DenyingAclName = vty.DenyingAcl?.AclName,
            PlatformDetail = vty.DenyingAcl is { } denying && cfg.IsParsed ? new AclDetail(denying, cfg.Value!.AccessList(denying.AclName)) : null,
        };

        evidence.AddRange(unparsed.Select(u => "unparsed: " + u));
        evidence.AddRange(warnings.Select(w => "parser warning: " + w));
        var status = problems.Count > 0 ? StepStatus.Fail : unparsed.Count > 0 ? StepStatus.Warn : StepStatus.Ok;
        var finding = problems.Count > 0 ? string.Join("; ", problems) : unparsed.Count > 0 ? "Part of the configuration could not be read" : "RSA key present; VTY lines and their ACL allow SSH";
        return new CollectedStep(status, finding, evidence, facts);
    }

    /// <summary>IOS names no server port in its SSH debug lines, so every SSH line of the capture is the attempt's.</summary>
    public SshDebugLines? ReadSshDebug(string asyncLines, int attemptPort)
    {
        var capture = SshDebugLogParser.Parse(asyncLines);
        return capture.IsParsed ? new SshDebugLines(capture.Value!.Entries.Where(e => e.IsSsh).Select(e => $"{e.Facility}: {e.Message}").ToList(), 0, []) : null;
    }

    public IReadOnlyList<RemediationPlan> PlansFor(RootCause cause, SshUnreachableFacts facts, SshUnreachableTarget target, int configApproversRequired)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(target);
        var (first, last) = VtyRange(facts.VtyRange);
        var acl = facts.PlatformDetail as AclDetail;
        var inputs = new IosXeRemediationInputs
        {
            GatewayIp = facts.GatewayIp ?? target.Device.GatewayIp?.ToString(),
            VtyFirst = first,
            VtyLast = last,
            SshPort = target.ConfiguredPort,
            DenyingAcl = acl?.Verdict,
            DenyingAclDefinition = acl?.Definition,
            ManagementNetwork = target.ManagementSubnet.Network,
            ManagementWildcard = target.ManagementSubnet.Wildcard,
            ConfigApproversRequired = configApproversRequired,
            ManagementInterface = facts.ManagementInterface,
        };
        return IosXeRemediations.For(cause, inputs);
    }

    private sealed record AclDetail(IosAclVerdict Verdict, IosAccessList? Definition);

    private static (int First, int Last) VtyRange(string? range)
    {
        var parts = (range ?? "0 4").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var f) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var l) ? (f, l) : (0, 4);
    }

    private static string RouteLine(IosRoute r)
    {
        var hop = r.NextHops.Count == 0 ? "directly connected" : string.Join(", ", r.NextHops.Select(h => h.Address is null ? h.Interface : $"via {h.Address}{(h.Interface is null ? string.Empty : ", " + h.Interface)}"));
        return $"{r.Code} {r.Network}/{r.PrefixLength.ToString(CultureInfo.InvariantCulture)} {hop}";
    }

    private static CollectedStep Unparsed(string command, string? reason) =>
        new(StepStatus.Warn, $"'{command}' output could not be read: {reason}", [], new SshUnreachableFacts());

    private static CollectedStep WithWarnings(CollectedStep step, string command, IReadOnlyList<string> warnings) =>
        warnings.Count == 0 ? step : step with { Evidence = [.. step.Evidence, .. warnings.Select(w => $"parser warning ({command}): {w}")] };

    private static List<string> Lines(string output, Func<string, bool> keep) =>
        output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && keep(l)).Take(MaxEvidenceLines).ToList();
}
