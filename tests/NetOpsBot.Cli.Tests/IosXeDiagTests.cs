using System.Text.Json;
using NetOpsBot.Lab;
using Xunit.Abstractions;

namespace NetOpsBot.Cli.Tests;

/// <summary>The mixed site: Cisco IOS-XE switches (cat-access-21..26) beside the VRP ones, one root cause each.</summary>
public sealed class MixedSiteLab : DiagLab
{
    // The product's default network: namespaces in this suite (DiagLab refuses a silent loopback fallback), so every
    // IOS-XE switch sits in its own namespace behind sw-agg-01 and a missing route or a dead link is the kernel's.
    protected override string ScenarioName => "mixed-site";
}

/// <summary>
/// Issue 16's proof: <c>netopsbot diag &lt;iosxe-device&gt; --json</c> over real SSH through the jump host (or the
/// console server when SSH does not let the bot in) reaches the same verdicts as on VRP, with IOS-XE commands chosen
/// by the inventory's platform. No assumption about loopback addresses: the lab's inventory says where each device is.
/// On the namespaced lab a switch without a default route or powered off answers no SYN, so those verdicts come from
/// the console and the gateway, as on a real site.
/// </summary>
public sealed class IosXeDiagTests(MixedSiteLab lab, ITestOutputHelper output) : IClassFixture<MixedSiteLab>
{
    /// <summary>Each switch, its verdict, and what the jump host's probe of 22 met in the kernel.</summary>
    public static TheoryData<string, string, string> Scenarios() => new()
    {
        { "cat-access-21", "healthy", "open" },
        { "cat-access-22", "rsa-key-missing", "refused" },          // no key: IOS does not listen on 22, a RST
        { "cat-access-23", "vty-protocol-not-ssh", "open" },        // the SSH server runs; the VTY line refuses the session
        { "cat-access-24", "vty-acl-denies-management", "open" },   // access-class is no packet filter: the VTY drops the login
        { "cat-access-25", "return-route-missing", "timed out" },   // the SYN-ACK has no route back
        { "cat-access-26", "device-unreachable", "timed out" },     // a dead link behind the gateway
        { "cat-access-27", "listener-stuck", "refused" },
        { "cat-access-28", "mgmt-interface-down", "timed out" },     // Gi0/0 shut: no link, only the console answers
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Diag_IosXeSwitch_RootCauseAsOnVrp(string device, string rootCause, string port22)
    {
        Assert.Equal(LabNetworkMode.Namespaces, lab.Controller.Topology.Network);
        var run = await lab.DiagAsync(device);
        var report = run.Report();
        output.WriteLine($"{device} ({rootCause}): verdict in {run.Elapsed.TotalSeconds:F1} s on the namespaced lab");

        Assert.True(DiagRun.RootCauses(report).SequenceEqual([rootCause]), $"{device}: {string.Join("+", DiagRun.RootCauses(report))}\n{run.StdOut}");
        var access = DiagRun.Evidence(DiagRun.Step(report, "access")).ToList();
        Assert.True(access.Any(e => e.StartsWith("tcp 22: " + port22, StringComparison.Ordinal)), string.Join("\n", access));
        // The gateway learned the MAC of every live switch on its bridge; a powered-off one, or one whose management
        // interface is shut (its link is down), has none.
        var address = lab.Status.Devices.Single(d => d.Name == device).ManagementIp;
        var gatewayArp = DiagRun.Evidence(DiagRun.Step(report, "gateway")).Any(e => e.StartsWith($"arp: {address} ", StringComparison.Ordinal));
        Assert.True(gatewayArp == (rootCause is not ("device-unreachable" or "mgmt-interface-down")), string.Join("\n", DiagRun.Evidence(DiagRun.Step(report, "gateway"))));
        // The gateway step runs on the site's VRP gateway in VRP's commands; every other step talks to the switch,
        // and only IOS-XE commands reached it.
        var sent = report.GetProperty("steps").EnumerateArray().Where(s => s.GetProperty("id").GetString() != "gateway").SelectMany(Commands).ToList();
        Assert.DoesNotContain(sent, c => c.StartsWith("display ", StringComparison.Ordinal) || c.StartsWith("screen-length", StringComparison.Ordinal));
        if (rootCause != "device-unreachable")
        {
            Assert.Contains("show ip route", sent);
            Assert.Contains("show running-config", sent);
        }
    }

    [Fact]
    public async Task Diag_IosXeFaults_OfferIosXeRemediations()
    {
        var key = await PlanCommandsAsync("cat-access-22");
        Assert.True(key.Contains("crypto key generate rsa modulus 2048"), string.Join(" | ", key));
        var vty = await PlanCommandsAsync("cat-access-23");
        Assert.True(vty.Contains("transport input ssh") && vty.Contains("line vty 0 4"), string.Join(" | ", vty));
        var route = await PlanCommandsAsync("cat-access-25");
        Assert.True(route.Contains("ip route 0.0.0.0 0.0.0.0 10.12.0.1"), string.Join(" | ", route));
        var reload = await PlanCommandsAsync("cat-access-27");
        Assert.True(reload.SequenceEqual(["write memory", "reload"]), string.Join(" | ", reload));
        // Not the default route a missing route would get: the shut interface is what took the routes away.
        var shut = await PlanCommandsAsync("cat-access-28");
        Assert.True(shut.SequenceEqual(["configure terminal", "interface GigabitEthernet0/0", "no shutdown", "end", "write memory"]), string.Join(" | ", shut));
    }

    private async Task<List<string>> PlanCommandsAsync(string device)
    {
        var report = (await lab.DiagAsync(device)).Report();
        return report.GetProperty("remediations").EnumerateArray()
            .SelectMany(r => r.GetProperty("commands").EnumerateArray().Select(c => c.GetString()!))
            .ToList();
    }

    private static IEnumerable<string> Commands(JsonElement step) =>
        step.TryGetProperty("commands", out var c) && c.ValueKind == JsonValueKind.Array ? c.EnumerateArray().Select(e => e.GetString()!) : [];
}
