using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Platforms;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Runbooks.SshUnreachable;
using NetOpsBot.Vrp.Diagnosis;

namespace NetOpsBot.Vrp.Platform;

internal sealed partial class VrpSshUnreachable
{
    /// <summary>From the inventory gateway: is the device alive at L2 (ARP) and L3 (ping) next to it?</summary>
    public async Task<CollectedStep> CheckAsync(DeviceCommandRunner run, SshUnreachableGatewayTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(target);
        var (gateway, device) = (target.Gateway, target.Device);
        var facts = new GatewayFacts();
        var outcome = await GatewayCommandsAsync(run, target, gateway, device, facts).ConfigureAwait(false);
        var learned = new SshUnreachableFacts { GatewayArpPresent = facts.GatewayArpPresent, GatewayPingOk = facts.GatewayPingOk, GatewayIp = facts.GatewayIp };
        return new CollectedStep(outcome.Status, outcome.Finding, outcome.Evidence, learned);
    }

    private static async Task<StepOutcome> GatewayCommandsAsync(DeviceCommandRunner run, SshUnreachableGatewayTarget target, DeviceRef gateway, DeviceRef device, GatewayFacts facts)
    {
        var ip = device.ManagementIp.ToString();
        var evidence = new List<string>();
        var warnings = new List<string>();

        var arp = await run(Render(VrpCommands.ArpInclude, ("ip", ip))).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(arp.Output) && arp.ErrorLine is null)
        {
            // "| include" prints nothing when there is no entry.
            facts.GatewayArpPresent = false;
            evidence.Add($"display arp | include {ip}: no entry");
        }
        else
        {
            var parsed = ArpParser.Parse(arp.Output);
            warnings.AddRange(parsed.Warnings.Select(w => $"{arp.Command}: {w}"));
            var entry = parsed.IsParsed ? parsed.Value!.Find(ip) : null;
            facts.GatewayArpPresent = parsed.IsParsed ? entry is not null && !entry.IsIncomplete : null;
            evidence.Add(entry is not null ? $"arp: {entry.IpAddress} {entry.MacAddress} {entry.Interface}" : parsed.IsParsed ? "arp: no entry for " + ip : "arp output not understood: " + (arp.ErrorLine ?? parsed.Reason));
        }

        var source = device.GatewayIp;
        if (source is null)
        {
            var brief = await run(VrpCommands.IpInterfaceBrief).ConfigureAwait(false);
            source = IpInterfaceBriefParser.AddressFacing(IpInterfaceBriefParser.Parse(brief.Output), device.ManagementIp);
        }

        facts.GatewayIp = source?.ToString();
        var pingCommand = source is null
            ? Render(VrpCommands.Ping, ("target", ip))
            : Render(VrpCommands.PingFrom, ("source", source.ToString()), ("target", ip));
        var ping = await run(pingCommand, target.PingTimeout).ConfigureAwait(false);
        var pr = PingParser.Parse(ping.Output);
        warnings.AddRange(pr.Warnings.Select(w => $"{pingCommand}: {w}"));
        facts.GatewayPingOk = pr.IsParsed ? pr.Value!.AnyReceived : null;
        evidence.Add(pr.IsParsed ? $"{pingCommand}: {pr.Value!.Received}/{pr.Value.Sent} replies, {pr.Value.LossPercent}% loss" : $"{pingCommand}: output not understood ({pr.Reason})");

        var (arpOk, pingOk) = (facts.GatewayArpPresent, facts.GatewayPingOk);
        if (arpOk is null || pingOk is null)
        {
            return WithWarnings(new StepOutcome(StepStatus.Warn, "Gateway output partly not understood", evidence), null, warnings);
        }

        return WithWarnings(GatewayVerdict(gateway, ip, arpOk.Value, pingOk.Value, evidence), null, warnings);
    }

    private static StepOutcome GatewayVerdict(DeviceRef gateway, string ip, bool arpOk, bool pingOk, List<string> evidence)
    {
        return (arpOk, pingOk) switch
        {
            (true, true) => new StepOutcome(StepStatus.Ok, $"Gateway {gateway.Name} has ARP for {ip} and ping answers", evidence),
            (false, false) => new StepOutcome(StepStatus.Fail, $"Gateway {gateway.Name} has no ARP for {ip} and ping fails: down at L2/L3", evidence),
            (true, false) => new StepOutcome(StepStatus.Warn, $"Gateway {gateway.Name} has ARP for {ip} but ping fails", evidence),
            _ => new StepOutcome(StepStatus.Warn, $"Ping from {gateway.Name} answers but no ARP entry for {ip}", evidence),
        };
    }

    private static string Render(CommandTemplate template, params (string Key, string Value)[] args)
    {
        var r = template.TryRender(args.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal));
        return r.Succeeded ? r.Command.Text : throw new InvalidOperationException($"cannot render '{template.Pattern}': {string.Join("; ", r.Errors)}");
    }

    private sealed class GatewayFacts
    {
        public bool? GatewayArpPresent { get; set; }

        public bool? GatewayPingOk { get; set; }

        public string? GatewayIp { get; set; }
    }
}
