using System.Text.Json;
using NetOpsBot.Lab;

namespace NetOpsBot.Cli.Tests;

/// <summary>The mixed site: Cisco IOS-XE switches (cat-access-21..26) beside the VRP ones, one root cause each.</summary>
public sealed class MixedSiteLab : DiagLab
{
    protected override string ScenarioName => "mixed-site";

    // Stated, not inherited: the lab refuses IOS-XE switches in namespaces (IosXeLabDevices.Build), so a change of
    // the lab's default mode must not turn this into a startup failure. Nothing below relies on loopback addresses.
    protected override LabNetworkMode Network => LabNetworkMode.Loopback;
}

/// <summary>
/// Issue 16's proof: <c>netopsbot diag &lt;iosxe-device&gt; --json</c> over real SSH through the jump host (or the
/// console server when SSH does not let the bot in) reaches the same verdicts as on VRP, with IOS-XE commands chosen
/// by the inventory's platform. No assumption about loopback addresses: the lab's inventory says where each device is.
/// </summary>
public sealed class IosXeDiagTests(MixedSiteLab lab) : IClassFixture<MixedSiteLab>
{
    public static TheoryData<string, string> Scenarios() => new()
    {
        { "cat-access-21", "healthy" },
        { "cat-access-22", "rsa-key-missing" },
        { "cat-access-23", "vty-protocol-not-ssh" },
        { "cat-access-24", "vty-acl-denies-management" },
        { "cat-access-25", "return-route-missing" },
        { "cat-access-26", "device-unreachable" },
        { "cat-access-27", "listener-stuck" },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Diag_IosXeSwitch_RootCauseAsOnVrp(string device, string rootCause)
    {
        var run = await lab.DiagAsync(device);
        var report = run.Report();

        Assert.True(DiagRun.RootCauses(report).SequenceEqual([rootCause]), $"{device}: {string.Join("+", DiagRun.RootCauses(report))}\n{run.StdOut}");
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
