using NetOpsBot.Core.Remediation;
using NetOpsBot.Vrp.Remediation;
using Xunit.Abstractions;

namespace NetOpsBot.Ssh.Tests.Remediation;

public sealed class HealthyRemediationLab : RemediationLab
{
    protected override int AddressBlock => 233;

    protected override string ScenarioName => "healthy";

    protected override TimeSpan BootTime => TimeSpan.FromSeconds(2);
}

public sealed class ConfigRemediationTests(HealthyRemediationLab lab, ITestOutputHelper output) : IClassFixture<HealthyRemediationLab>
{
    [Fact]
    public async Task ExecuteAsync_CommandRejectedByDevice_StopsWithErrorLine()
    {
        await using var access = lab.Access();
        var device = lab.Device();
        var executor = new RemediationExecutor(access, RemediationTestSupport.Opener(access), TimeProvider.System);

        // The device's own address as next hop: well-typed, so the template renders, but VRP rejects it.
        var plan = RemediationTestSupport.RoutePlan(device.ManagementIp.ToString());
        var result = await executor.ExecuteAsync(device, plan, new ExecutionOptions(), new RecordingObserver(output), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.False(result.Verified);
        Assert.Contains("Error:", result.Summary, StringComparison.Ordinal);
        Assert.Equal(["system-view", "ip route-static 0.0.0.0 0.0.0.0 " + device.ManagementIp], result.Commands.Select(c => c.Command));
        Assert.StartsWith("Error:", result.Commands[^1].ErrorLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchRecoveryAsync_DeviceAlreadyUp_CameBackImmediately()
    {
        await using var access = lab.Access();
        var device = lab.Device();
        var executor = new RemediationExecutor(access, RemediationTestSupport.Opener(access), TimeProvider.System);
        var observer = new RecordingObserver(output);

        var recovery = await executor.WatchRecoveryAsync(device, new ExecutionOptions { RecoveryDeadline = TimeSpan.FromSeconds(30) }, observer, CancellationToken.None);

        Assert.True(recovery.CameBack, recovery.Summary);
        Assert.False(recovery.WentDown);
        Assert.True(recovery.SshPortListening, recovery.Summary);
        Assert.True(recovery.SshLoginWorks, recovery.Summary);
        Assert.Contains(observer.Summaries, s => s == "sw-access-12 answers on TCP 22");
    }
}
