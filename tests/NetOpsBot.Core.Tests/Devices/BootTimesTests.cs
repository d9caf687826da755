using System.Net;
using NetOpsBot.Core.Devices;

namespace NetOpsBot.Core.Tests.Devices;

/// <summary>Issue 14, design change 3: the expected boot time is per device with a platform default, and the recovery deadline follows it.</summary>
public sealed class BootTimesTests
{
    private static DeviceRef Device(TimeSpan? boot) =>
        new(DeviceName.Parse("sw-access-12"), "huawei-vrp", "127.0.0.1", IPAddress.Parse("10.12.0.12"), 22, [], null, null, null, "sw") { ExpectedBootTime = boot };

    [Fact]
    public void AccessSwitch_WithoutInventoryValue_ExpectsEightMinutes_DeadlineFifteen()
    {
        Assert.Equal(TimeSpan.FromMinutes(8), BootTimes.Expected(Device(null)));
        Assert.Equal(TimeSpan.FromMinutes(15), BootTimes.RecoveryDeadline(Device(null), new NetOpsBot.Core.Remediation.ExecutionOptions().RecoveryDeadline));
    }

    [Fact]
    public void InventoryValue_Wins_AndAChassisStretchesTheDeadline()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), BootTimes.Expected(Device(TimeSpan.FromSeconds(90))));
        Assert.Equal(TimeSpan.FromMinutes(15), BootTimes.RecoveryDeadline(Device(TimeSpan.FromSeconds(90)), TimeSpan.FromMinutes(15)));
        Assert.Equal(TimeSpan.FromMinutes(25), BootTimes.RecoveryDeadline(Device(TimeSpan.FromMinutes(20)), TimeSpan.FromMinutes(15)));
    }

    [Fact]
    public void ConfiguredDeadline_IsExact_UnsetDeadline_FollowsTheBootTime()
    {
        var configured = new NetOpsBot.Core.Remediation.ExecutionOptions { RecoveryDeadline = TimeSpan.FromSeconds(3) };
        Assert.False(configured.DeadlineFollowsBootTime);
        Assert.Equal(TimeSpan.FromSeconds(3), BootTimes.RecoveryDeadline(Device(TimeSpan.FromMinutes(20)), configured.RecoveryDeadline, configured.DeadlineFollowsBootTime));
        var unset = new NetOpsBot.Core.Remediation.ExecutionOptions() with { ProbeInterval = TimeSpan.FromSeconds(2) };
        Assert.True(unset.DeadlineFollowsBootTime);
        Assert.Equal(TimeSpan.FromMinutes(25), BootTimes.RecoveryDeadline(Device(TimeSpan.FromMinutes(20)), unset.RecoveryDeadline, unset.DeadlineFollowsBootTime));
    }
}
