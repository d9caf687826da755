using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Vrp.Runbook;

public sealed partial class DiagnosisRunner
{
    /// <summary>From the inventory gateway: is the device alive at L2 (ARP) and L3 (ping) next to it?</summary>
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

        if (CollectorFor(gateway) is not null)
        {
            // The gateway checks (ARP, ping) are VRP commands so far; another platform's gateway is not guessed at.
            return new StepOutcome(StepStatus.Skipped, $"Gateway {gateway.Name} is a {gateway.Platform} device: its ARP/ping checks are not implemented yet", []);
        }

        try
        {
            return await gateways.UseAsync(gateway, (session, fresh) => GatewayCommandsAsync(run, log, gateway, session, fresh), run.Token).ConfigureAwait(false);
        }
        catch (DeviceAccessException ex)
        {
            var security = ex.Reason == DeviceAccessFailure.HostKeyMismatch ? " (security event: key not accepted)" : string.Empty;
            return new StepOutcome(ex.Reason == DeviceAccessFailure.HostKeyMismatch ? StepStatus.Fail : StepStatus.Error, $"Cannot reach gateway {gateway.Name}: {ex.Reason}{security}", [ex.Message]);
        }
    }

    private async Task<StepOutcome> GatewayCommandsAsync(RunContext run, StepLog log, DeviceRef gateway, IDeviceCliSession session, bool fresh)
    {
        var device = run.Device;
        var facts = run.Facts;
        if (fresh)
        {
            await RunCommandAsync(run, session, log, VrpCommands.ScreenLength).ConfigureAwait(false);
        }

        var ip = device.ManagementIp.ToString();
        var evidence = new List<string>();
        var warnings = new List<string>();

        var arp = await RunCommandAsync(run, session, log, Render(VrpCommands.ArpInclude, ("ip", ip))).ConfigureAwait(false);
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
            var brief = await RunCommandAsync(run, session, log, VrpCommands.IpInterfaceBrief).ConfigureAwait(false);
            source = IpInterfaceBriefParser.AddressFacing(IpInterfaceBriefParser.Parse(brief.Output), device.ManagementIp);
        }

        facts.GatewayIp = source?.ToString();
        var pingCommand = source is null
            ? Render(VrpCommands.Ping, ("target", ip))
            : Render(VrpCommands.PingFrom, ("source", source.ToString()), ("target", ip));
        var ping = await RunCommandAsync(run, session, log, pingCommand, options.PingTimeout).ConfigureAwait(false);
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
}
