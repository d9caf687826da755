using NetOpsBot.Core.Platforms;
using NetOpsBot.Vrp.Platform;

namespace NetOpsBot.Vrp.Tests.Runbook;

/// <summary>The platforms the runbook tests register: VRP, whose collectors run the device and gateway steps.</summary>
internal static class TestPlatforms
{
    public static DevicePlatforms Vrp { get; } = new([VrpPlatform.Instance]);
}
