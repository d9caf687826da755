using System.Diagnostics;
using NetOpsBot.Core.Access;
using NetOpsBot.Lab;

namespace NetOpsBot.Ssh.Tests;

public sealed class SeedCaseLab : LabFixture
{
    protected override string ScenarioName => "seed-case";

    // Stage one's timeouts are the kernel's: the switch has no route back.
    protected override LabNetworkMode Network => LabNetworkMode.Namespaces;
}

/// <summary>
/// A probe the bot gave up on (no SYN-ACK: in seed-case's first stage the switch has no route back) stays
/// pending at the jump host until the SSH channel open times out. It must not keep one of the few probe
/// slots meanwhile: healthy switches' probes queued behind it (the chat benchmark on the namespaced lab
/// finished 7 diagnoses in its 26 s round instead of ~150, because each seed-case diagnosis's four timed-out
/// probes held all four slots for the 10 s channel-open timeout).
/// </summary>
public sealed class ProbeSlotTests(SeedCaseLab lab) : IClassFixture<SeedCaseLab>
{
    [Fact]
    public async Task TimedOutProbes_GiveTheirSlotsBack_AHealthySwitchIsProbedAtOnce()
    {
        Assert.Equal(LabNetworkMode.Namespaces, lab.Controller.Topology.Network);
        var options = lab.Options() with { ConnectTimeout = TimeSpan.FromSeconds(8) };
        await using var access = lab.Access(options);
        var unreachable = lab.Device("sw-access-12");
        var healthy = lab.Device("sw-access-13");
        Assert.Equal(ProbeOutcome.Open, (await access.ProbeAsync(healthy, 22, TimeSpan.FromSeconds(3), CancellationToken.None)).Outcome);

        var given = await Task.WhenAll(Enumerable.Range(0, options.MaxProbeChannelsPerJumpHost)
            .Select(_ => access.ProbeAsync(unreachable, 22, TimeSpan.FromSeconds(1), CancellationToken.None)));
        Assert.All(given, p => Assert.Equal(ProbeOutcome.Timeout, p.Outcome));

        var clock = Stopwatch.StartNew();
        var next = await access.ProbeAsync(healthy, 22, TimeSpan.FromSeconds(3), CancellationToken.None);
        Assert.Equal(ProbeOutcome.Open, next.Outcome);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the healthy switch's probe waited {clock.Elapsed.TotalSeconds:0.0} s for a probe slot held by probes already given up");
    }
}
