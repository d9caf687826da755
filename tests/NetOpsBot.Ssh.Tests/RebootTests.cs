using NetOpsBot.Core.Access;

namespace NetOpsBot.Ssh.Tests;

/// <summary>Reboots a device, so it has a lab of its own.</summary>
public sealed class RebootLab : LabFixture
{
    protected override string ScenarioName => "healthy";
}

public sealed class RebootTests(RebootLab lab) : IClassFixture<RebootLab>
{
    [Fact]
    public async Task RunAsync_RebootDeclinedThenConfirmed_OnlyExplicitAnswerReboots()
    {
        await using var access = lab.Access();
        var device = lab.Device("sw-access-14");
        await using var session = await access.OpenInteractiveCliAsync(device, AccessPath.Ssh(22), CancellationToken.None);

        var declined = await session.RunAsync("reboot", TimeSpan.FromSeconds(5), CancellationToken.None);
        var stillUp = await session.RunAsync("display version", TimeSpan.FromSeconds(5), CancellationToken.None);
        var confirmed = await session.RunAsync("reboot", TimeSpan.FromSeconds(5), ConfirmationPolicy.Answer("y"), CancellationToken.None);
        // The lab closes the device's real listener when it sees the emulated power state change, a moment after
        // the answer (as a real switch does); the boot takes 5 s, so the port must be seen closed well before that.
        var probe = await access.ProbeAsync(device, 22, TimeSpan.FromMilliseconds(500), CancellationToken.None);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (probe.Outcome == ProbeOutcome.Open && waited.Elapsed < TimeSpan.FromSeconds(3))
        {
            await Task.Delay(100);
            probe = await access.ProbeAsync(device, 22, TimeSpan.FromMilliseconds(500), CancellationToken.None);
        }


        Assert.StartsWith("Declined by policy", declined.ErrorLine, StringComparison.Ordinal);
        Assert.Contains("VRP", stillUp.Output, StringComparison.Ordinal);
        Assert.Null(confirmed.ErrorLine);
        Assert.Contains("System will reboot", confirmed.Raw, StringComparison.Ordinal);
        Assert.NotEqual(ProbeOutcome.Open, probe.Outcome);
        await Assert.ThrowsAsync<DeviceAccessException>(() => session.RunAsync("display version", TimeSpan.FromSeconds(1), CancellationToken.None));
    }
}
