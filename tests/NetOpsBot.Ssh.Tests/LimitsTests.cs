using NetOpsBot.Core.Access;

namespace NetOpsBot.Ssh.Tests;

public sealed class LimitsTests(HealthyLab lab) : IClassFixture<HealthyLab>
{
    [Fact]
    public async Task RunAsync_OutputBeyondMaxBytes_CutOffWithClearError()
    {
        await using var access = lab.Access(lab.Options() with { MaxOutputBytes = 400 });
        await using var session = await access.OpenCliAsync(lab.Device("sw-access-13"), AccessPath.Ssh(22), CancellationToken.None);

        var ex = await Assert.ThrowsAsync<DeviceAccessException>(() => session.RunAsync("display current-configuration", TimeSpan.FromSeconds(10), CancellationToken.None));
        var next = await Assert.ThrowsAsync<DeviceAccessException>(() => session.RunAsync("display version", TimeSpan.FromSeconds(10), CancellationToken.None));

        Assert.Contains("floods", ex.Message, StringComparison.Ordinal);
        Assert.Contains("400 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unusable", next.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenCliAsync_SecondSessionToSameDevice_WaitsForTheFirstThenRefusedAfterQueueTimeout()
    {
        await using var access = lab.Access(lab.Options() with { QueueTimeout = TimeSpan.FromMilliseconds(300) });
        var device = lab.Device("sw-access-14");
        var first = await access.OpenCliAsync(device, AccessPath.Ssh(22), CancellationToken.None);

        var ex = await Assert.ThrowsAsync<DeviceAccessException>(() => access.OpenCliAsync(device, AccessPath.Console, CancellationToken.None));
        await first.DisposeAsync();
        await using var third = await access.OpenCliAsync(device, AccessPath.Ssh(22), CancellationToken.None);

        Assert.Equal(DeviceAccessFailure.SessionRefused, ex.Reason);
        Assert.Contains("another CLI session", ex.Message, StringComparison.Ordinal);
        Assert.Equal("sw-access-14", third.Hostname);
    }

    [Fact]
    public async Task OpenCliAsync_JumpConnectionDropped_ReconnectsWithOneNewLogin()
    {
        await using var access = lab.Access();
        await using (var s1 = await access.OpenCliAsync(lab.Device("sw-agg-01"), AccessPath.Ssh(22), CancellationToken.None))
        {
            await s1.RunAsync("display version", TimeSpan.FromSeconds(5), CancellationToken.None);
        }

        foreach (var jump in access.JumpConnections)
        {
            jump.DropConnection();
        }

        await using var s2 = await access.OpenCliAsync(lab.Device("sw-agg-01"), AccessPath.Ssh(22), CancellationToken.None);
        var r = await s2.RunAsync("display version", TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Contains("VRP", r.Output, StringComparison.Ordinal);
        Assert.Equal(2, access.JumpLogins);
    }
}
