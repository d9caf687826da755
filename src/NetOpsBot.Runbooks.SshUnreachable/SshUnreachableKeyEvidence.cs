using System.Globalization;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Diagnosis;
using S = NetOpsBot.Runbooks.SshUnreachable.SshUnreachableSteps;

namespace NetOpsBot.Runbooks.SshUnreachable;

/// <summary>
/// The key evidence of each root cause: the few facts that prove it, in short phrases a person reads at 3 a.m.
/// ("display tcp status: listening on 64443, nothing on 22", "22: refused (RST)", "0 SSH debug lines"). Written from
/// the facts the rules read and the commands the steps sent, so every platform reads in its own commands; the full
/// evidence stays on the finding for the details.
/// </summary>
internal static class SshUnreachableKeyEvidence
{
    private static readonly Dictionary<RootCause, Func<DiagnosisFacts, IEnumerable<string?>>> Lines = new()
    {
        [SshUnreachableCauses.ListenerStuck] = Listener,
        [SshUnreachableCauses.ReturnRouteMissing] = f => [Said(First(f, S.Routing), $"no default route, nothing covers {Subnet(f)}"), AllTimedOut(f), Gateway(f)],
        [SshUnreachableCauses.ManagementInterfaceDown] = f =>
            [Said(Last(f, S.Routing), $"{f.ManagementInterface ?? "the management interface"} administratively down"), AllTimedOut(f), Gateway(f), Cli(f)],
        [SshUnreachableCauses.InterfaceAclBlocksManagement] = f =>
            [Said(Configuration(f), $"inbound acl {f.InterfaceAclName ?? "(unnamed)"} on {f.ManagementInterface ?? "the management interface"} drops {Source(f)}"), AllTimedOut(f, "no RST"), Gateway(f)],
        [SshUnreachableCauses.VtyAclDeniesManagement] = f =>
            [Said(Configuration(f), $"{(AclName(f) is { } acl ? "acl " + acl : "the VTY ACL")} denies {Source(f)}"), Login(f)],
        [SshUnreachableCauses.VtyProtocolNotSsh] = f => [Said(Configuration(f), $"VTY {f.VtyRange}: inbound {f.VtyProtocol ?? "?"} only, not SSH"), Login(f)],
        [SshUnreachableCauses.SshServerDisabled] = f => [Said(First(f, S.Service), "SSH server disabled"), Probe(f)],
        [SshUnreachableCauses.RsaKeyMissing] = f => [Said(First(f, S.Hardening) ?? First(f, S.Service), "no RSA key pair"), Login(f)],
        [SshUnreachableCauses.SshSourceExcludesManagement] = f =>
            [Said(Configuration(f), $"ssh server-source admits {(f.SshSourceInterfaces.Count == 0 ? "no interface" : string.Join(", ", f.SshSourceInterfaces))}, not {f.ManagementInterface ?? "the management interface"}"), Login(f)],
        [SshUnreachableCauses.DeviceUnreachable] = f => [AllTimedOut(f) ?? Probes(f), Gateway(f), f.ConsoleNoPrompt == true ? "console: no prompt" : null],
        [SshUnreachableCauses.JumpHostUnreachable] = _ => ["jump host unreachable: no port probed, no CLI session opened"],
        [SshUnreachableCauses.HostKeyMismatch] = _ => ["host key differs from the pinned one: run stopped, key not accepted"],
        [SshUnreachableCauses.Healthy] = f =>
            [$"{Port(f)}: open, CLI via {f.CliPath}", Said(Last(f, S.Listener), $"listening on {Port(f)}"), Said(First(f, S.Routing), $"route back to {Subnet(f)}")],
    };

    /// <summary>The causes that have key evidence (every cause of the catalogue, checked by a test).</summary>
    public static IEnumerable<RootCause> Causes => Lines.Keys;

    public static IReadOnlyList<string> For(RootCause cause, DiagnosisFacts facts) =>
        Lines.TryGetValue(cause, out var lines) ? lines(facts).OfType<string>().ToList() : [];

    /// <summary>
    /// The listener table says where the socket really is; the refused attempt and the silent debug show the connection
    /// dies in TCP, before SSH. Both only when the attempt reached the device: a timed-out one proves nothing here.
    /// </summary>
    private static IEnumerable<string?> Listener(DiagnosisFacts f)
    {
        var ghosts = f.GhostPorts;
        var others = f.ListeningPorts is { Count: > 0 } l ? $" (listening: {Join(l)})" : string.Empty;
        yield return Said(Last(f, S.Listener), ghosts.Count > 0 ? $"listening on {Join(ghosts)}, nothing on {Port(f)}" : $"nothing listens on {Port(f)}{others}");
        if (f.ConfiguredPortProbe == ProbeOutcome.Refused)
        {
            yield return Probe(f);
        }

        if (f.SshDebugLineCount is int n && f.DebugProbeOutcome is ProbeOutcome.Refused or ProbeOutcome.Open)
        {
            yield return n == 1 ? "1 SSH debug line" : n.ToString(CultureInfo.InvariantCulture) + " SSH debug lines";
        }
    }

    private static string? Said(string? command, string fact) => command is null ? fact : $"{command}: {fact}";

    /// <summary>The first command a step sent (the one whose answer the step reads first); null when the step sent none.</summary>
    private static string? First(DiagnosisFacts f, string step) => f.CommandsOf(step) is { Count: > 0 } c ? c[0] : null;

    /// <summary>The last command a step sent: a step that asks again in other words reads the last answer.</summary>
    private static string? Last(DiagnosisFacts f, string step) => f.CommandsOf(step) is { Count: > 0 } c ? c[^1] : null;

    /// <summary>The configuration read by the hardening step ("display current-configuration", "show running-config").</summary>
    private static string? Configuration(DiagnosisFacts f) =>
        f.CommandsOf(S.Hardening).FirstOrDefault(c => c.Contains("config", StringComparison.OrdinalIgnoreCase));

    private static string? AclName(DiagnosisFacts f) => f.DenyingAclName;

    private static string Subnet(DiagnosisFacts f) => f.ManagementSubnet?.ToString() ?? "the management subnet";

    private static string Source(DiagnosisFacts f) => f.ManagementSource?.ToString() ?? "the management source";

    private static string Port(DiagnosisFacts f) => f.ConfiguredPort.ToString(CultureInfo.InvariantCulture);

    private static string Join(IEnumerable<int> ports) => string.Join(", ", ports.Select(p => p.ToString(CultureInfo.InvariantCulture)));

    private static string? Probe(DiagnosisFacts f) => f.ConfiguredPortProbe is { } o ? $"{Port(f)}: {Word(o)}" : null;

    /// <summary>The configured port's answer and, when it is open yet the bot got in elsewhere, that the SSH login there failed.</summary>
    private static string? Login(DiagnosisFacts f)
    {
        if (f.ConfiguredPortProbe is not { } o)
        {
            return null;
        }

        var viaSsh = f.CliPath == AccessPath.Ssh(f.ConfiguredPort);
        return o == ProbeOutcome.Open && !viaSsh && f.CliPath is not null
            ? $"{Port(f)}: open, SSH login failed (CLI via {f.CliPath})"
            : $"{Port(f)}: {Word(o)}";
    }

    private static string? AllTimedOut(DiagnosisFacts f, string? why = null) =>
        f.Probes.Count > 0 && f.Probes.Values.All(p => p.Outcome == ProbeOutcome.Timeout)
            ? $"every port timed out ({Join(f.Probes.Keys)}{(why is null ? string.Empty : "; " + why)})"
            : null;

    private static string? Probes(DiagnosisFacts f) =>
        f.Probes.Count == 0 ? null : string.Join(", ", f.Probes.Values.Select(p => $"{p.Port.ToString(CultureInfo.InvariantCulture)}: {Word(p.Outcome)}"));

    private static string? Gateway(DiagnosisFacts f) => (f.GatewayArpPresent, f.GatewayPingOk) switch
    {
        (true, true) => "gateway: ARP entry and ping answers",
        (false, false) => "gateway: no ARP entry, no ping answer",
        (true, false) => "gateway: ARP entry, no ping answer",
        (false, true) => "gateway: ping answers, no ARP entry",
        (false, null) => "gateway: no ARP entry",
        (true, null) => "gateway: ARP entry",
        (null, true) => "gateway: ping answers",
        (null, false) => "gateway: no ping answer",
        _ => null,
    };

    private static string? Cli(DiagnosisFacts f) => f.CliPath is null ? null : f.CliPath.Kind == AccessPathKind.Console ? "CLI over the console" : $"CLI via {f.CliPath}";

    private static string Word(ProbeOutcome o) => o switch
    {
        ProbeOutcome.Open => "open",
        ProbeOutcome.Refused => "refused (RST)",
        ProbeOutcome.Timeout => "timed out",
        ProbeOutcome.JumpHostUnreachable => "not probed",
        _ => "probe error",
    };
}
